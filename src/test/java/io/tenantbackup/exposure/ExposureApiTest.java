package io.tenantbackup.exposure;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.ManagementInterface;
import io.tenantbackup.testing.TestNetwork;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import static io.tenantbackup.api.BackupApiClient.configureBackup;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the service exposes on defaults (no password): API and management interface on loopback only, health and
 * metrics off the API port, 500 answers without internals, no backup from a request that is not JSON, and the
 * bounds on restore concurrency, archive lag and the number of tenants.
 */
@QuarkusTest
@TestProfile(ExposureProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExposureApiTest {

    private static final String TENANT = "ex1";
    private static final String OTHER = "ex2";

    @TestHTTPResource("/")
    URL api;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    ServiceConfig config;

    @Inject
    AgroalDataSource metadata;

    private Path destination;

    @Test
    @Order(1)
    void healthAndMetricsAreOnTheManagementInterfaceOnlyAndLivenessNeedsNothing() {
        for (String path : new String[]{"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live"}) {
            RestAssured.get(path).then().statusCode(404);
        }
        ManagementInterface.given(management).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        ManagementInterface.given(management).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertTrue(ManagementInterface.metrics(management).contains("jvm_"));
    }

    @Test
    @Order(2)
    void bothInterfacesListenOnLoopbackOnly() throws Exception {
        Optional<TestNetwork> created = TestNetwork.create();
        assumeTrue(created.isPresent(), "no network namespace for another host (iproute2 and root needed)");
        try (TestNetwork network = created.get()) {
            network.assertHostReachable();
            for (int port : new int[]{api.getPort(), management.getPort()}) {
                try (Socket loopback = new Socket()) {
                    loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                }
                TestNetwork.Result remote = network.curl("http://" + network.hostAddress() + ":" + port + "/");
                assertEquals(TestNetwork.CONNECTION_REFUSED, remote.exitCode(),
                        () -> "port " + port + " from another host: " + remote);
            }
        }
    }

    @Test
    @Order(3)
    void anUnexpectedFailureAnswersOnlyATraceIdThatLeadsToTheDetailsInTheLog() throws IOException {
        // the recorded create request overflows its TEXT column: an SQL error the service did not foresee
        Response answer = badRequest().body(Map.of("name", OTHER, "root_password", "ex-root-pw",
                "comment", "c".repeat(70_000))).post("/api/v1/tenant");
        assertEquals(500, answer.statusCode(), answer.asString());
        JsonPath body = answer.jsonPath();
        String trace = body.getString("traceId");
        assertEquals("Common.Unexpected", body.getString("error.errCode"));
        assertEquals("Unexpected error; the service log has the details under trace id " + trace,
                body.getString("error.message"));
        String log = Files.readString(Path.of(ExposureProfile.LOG_FILE));
        int logged = log.indexOf("Unexpected failure on POST /api/v1/tenant, trace id " + trace);
        assertTrue(logged >= 0, "the trace id is not in the log");
        assertTrue(log.indexOf("Data too long", logged) > logged, "the SQL error is not logged under the trace id");
        badRequest().get("/api/v1/tenant/" + OTHER).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"));
    }

    @Test
    @Order(4)
    void aPostThatIsNotJsonStartsNoBackup() throws Exception {
        removeLeftovers(config.dataDir(), TENANT);
        destination = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-ex1dest");
        TestTenant.deleteTree(destination);
        createTenant(TENANT, "ex1-root-pw");
        configureBackup(TENANT, destination);
        long dags = dagCount();
        String backup = "/api/v1/tenant/" + TENANT + "/backup";
        assertUnsupported("POST", backup, "text/plain", "{\"mode\":\"full\"}");
        assertUnsupported("POST", backup, null, null);
        assertUnsupported("POST", backup, "application/x-www-form-urlencoded", "mode=full");
        assertUnsupported("POST", backup, "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nfull\r\n--x--\r\n");
        assertUnsupported("PATCH", "/api/v1/tenant/" + TENANT + "/backup/config", "text/plain", "{}");
        assertEquals(dags, dagCount(), "a refused request created a DAG");

        String started = api().body("{\"mode\":\"full\"}").post(backup).then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(started).getString("state"), "the same POST as JSON starts the backup");
    }

    @Test
    @Order(5)
    void boundsAreRefusedWithWhatToFixAndChangeNothing() throws Exception {
        long dags = dagCount();
        badRequest().body(Map.of("data_base_uri", "file://" + destination.resolve("data"),
                        "archive_base_uri", "file://" + destination.resolve("archive"), "archive_lag_target", "1ns"))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.ArchiveLagTarget.Invalid"))
                .body("error.message", equalTo("archive_lag_target 1ns is invalid, it must be between 1s and 2h"));
        badRequest().body(Map.of("archive_lag_target", "3h")).patch("/api/v1/tenant/" + TENANT + "/backup/config")
                .then().statusCode(400).body("error.errCode", equalTo("OB.Backup.ArchiveLagTarget.Invalid"));
        for (int concurrency : new int[]{65, -1}) {
            badRequest().body(Map.of("data_backup_uri", "file://" + destination.resolve("data"),
                            "restore_tenant_name", OTHER, "concurrency", concurrency))
                    .post("/api/v1/tenant/restore").then().statusCode(400)
                    .body("error.errCode", equalTo("Common.IllegalArgument"))
                    .body("error.message", equalTo("concurrency " + concurrency
                            + " is invalid, it must be between 0 and 64 (0 or null: the host's cores)"));
        }
        String limit = "There are already 1 tenants, the limit is 1: drop a tenant first, or raise TENANT_BACKUP_MAX_TENANTS.";
        badRequest().body(Map.of("name", OTHER, "root_password", "ex-root-pw")).post("/api/v1/tenant").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.Count.ExceedsLimit"))
                .body("error.message", equalTo(limit));
        badRequest().body(Map.of("data_backup_uri", "file://" + destination.resolve("data"),
                        "restore_tenant_name", OTHER, "concurrency", 64))
                .post("/api/v1/tenant/restore").then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.Count.ExceedsLimit"));
        assertEquals(dags, dagCount(), "a refused request created a DAG");
        badRequest().get("/api/v1/tenant/" + OTHER).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertFalse(Files.exists(config.dataDir().resolve(OTHER)));
    }

    /** Quarkus sets rest-assured's port only around test methods. */
    @AfterAll
    void dropTheTenant() throws IOException {
        if (destination != null) {
            RestAssured.port = api.getPort();
            try {
                dropTenant(TENANT);
            } finally {
                RestAssured.reset();
            }
            TestTenant.deleteTree(destination);
        }
    }

    /**
     * A request as a web page can send it cross-origin without a preflight (or a bare curl -X POST): no body, or a
     * text, form or multipart body; {@code contentType} null sends none.
     */
    private void assertUnsupported(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.toURI().resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonPath error = new JsonPath(answer.body());
        assertEquals(415, answer.statusCode(), error::prettify);
        assertEquals("Common.UnsupportedMediaType", error.getString("error.errCode"));
        assertEquals(false, error.getBoolean("successful"));
        assertEquals("Content-Type must be application/json for " + method + " " + path + ", got "
                + (contentType == null ? "none" : "'" + contentType + "'")
                + "; send the body as JSON ({} when there is nothing to say)", error.getString("error.message"));
    }

    private long dagCount() throws Exception {
        try (Connection connection = metadata.getConnection(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM dag")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
