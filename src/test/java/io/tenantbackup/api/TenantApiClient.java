package io.tenantbackup.api;

import io.restassured.path.json.JsonPath;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static io.tenantbackup.api.Contract.api;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a user of the HTTP API does, in the tests' words: create tenants, follow DAGs, connect to instances. */
public final class TenantApiClient {

    private TenantApiClient() {
    }

    /** Creates a tenant through POST /api/v1/tenant and waits for its DAG; returns the tenant info. */
    public static JsonPath createTenant(String name, String rootPassword) {
        String dagId = api().body(Map.of("name", name, "root_password", rootPassword, "charset", "utf8mb4"))
                .post("/api/v1/tenant").then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), () -> dag.prettify());
        return api().get("/api/v1/tenant/" + name).then().statusCode(200).extract().jsonPath().setRootPath("data");
    }

    /** The port GET /api/v1/tenant/{name} gives clients. */
    public static int port(String name) {
        return api().get("/api/v1/tenant/" + name).then().statusCode(200).extract().path("data.connection.port");
    }

    public static void dropTenant(String name) {
        String dagId = api().delete("/api/v1/tenant/" + name).then().statusCode(200).extract().path("data.id");
        awaitDag(dagId);
    }

    /** Polls GET /api/v1/task/dag/{id} as the SDKs do until SUCCEED or FAILED; returns the DAG (data). */
    public static JsonPath awaitDag(String genericId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath dag = api().get("/api/v1/task/dag/" + genericId + "?show_details=true")
                    .then().statusCode(200).extract().jsonPath().setRootPath("data");
            String state = dag.getString("state");
            if (state.equals("SUCCEED") || state.equals("FAILED")) {
                return dag;
            }
            sleep(200);
        }
        throw new AssertionError("DAG " + genericId + " did not finish within 5 minutes");
    }

    /** Waits for every DAG that GET /api/v1/task/dag/unfinish lists, e.g. those an interaction started. */
    public static void awaitUnfinishedDags() {
        java.util.List<String> unfinished = api().get("/api/v1/task/dag/unfinish?show_details=false").then()
                .statusCode(200).extract().path("data.contents.id");
        if (unfinished != null) {
            unfinished.forEach(TenantApiClient::awaitDag);
        }
    }

    /** How many DAGs GET /api/v1/task/dag/unfinish lists: a refused request must not add one. */
    public static int unfinishedDagCount() {
        java.util.List<?> contents = api().get("/api/v1/task/dag/unfinish?show_details=false").then().statusCode(200)
                .extract().path("data.contents");
        return contents == null ? 0 : contents.size();
    }

    /** A JDBC connection to a tenant as its root user, over TCP as a client would connect. */
    public static Connection connectAsRoot(int port, String rootPassword) throws SQLException {
        return connect(port, "root", rootPassword);
    }

    /** Runs {@code statements} in one session as the tenant's root user. */
    public static void sqlAsRoot(int port, String rootPassword, String... statements) throws SQLException {
        try (Connection connection = connectAsRoot(port, rootPassword);
             java.sql.Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    /** {@link io.tenantbackup.testing.TableChecksums} of the tenant, read as its root user. */
    public static java.util.Map<String, Long> checksumsAsRoot(int port, String rootPassword) throws SQLException {
        try (Connection connection = connectAsRoot(port, rootPassword)) {
            return io.tenantbackup.testing.TableChecksums.of(connection);
        }
    }

    /** A JDBC connection to a tenant as {@code user}, over TCP from 127.0.0.1. */
    public static Connection connect(int port, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("useSSL", "false");
        props.setProperty("allowPublicKeyRetrieval", "true");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", props);
    }

    /**
     * Removes what an earlier, interrupted test run left of a tenant (the metadata DB is cleaned at each start, its
     * instance directory is not): kills its mariadbd and deletes the directory.
     */
    public static void removeLeftovers(java.nio.file.Path dataDir, String name) throws Exception {
        java.nio.file.Path home = dataDir.resolve(name);
        if (!java.nio.file.Files.exists(home)) {
            return;
        }
        new io.tenantbackup.engine.mariadb.MariaDbServer(new io.tenantbackup.engine.mariadb.MariaDbLayout(home))
                .stop(line -> { });
        io.tenantbackup.testing.TestTenant.deleteTree(home);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
