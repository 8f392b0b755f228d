package io.tenantbackup.it;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.archive.ArchivedBinlogs;
import io.tenantbackup.testing.TableChecksums;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17 item 3: the packaged service killed with SIGKILL in the middle of a restore, once while "Start restore"
 * extracts the encrypted backup and once while "Wait restore task finish" replays the archived binlog into the
 * half-made instance. After each restart the restore DAG ends FAILED saying the service stopped, the staging, the
 * half-made instance (its mariadbd included) and its directory are gone, and the name is free: the third restore
 * under the same name succeeds and equals the source at its point.
 */
class RestoreCrashIT {

    private static final String SOURCE = "rc1";
    private static final String RESTORED = "rcr";
    private static final String ROOT_PASSWORD = "rc1-root";
    private static final String BACKUP_PASSWORD = "rc1-backup-pass";
    private static final Path DATA_DIR = Path.of("/tmp/tbt-restorefail-it");
    private static final Path TENANTS = DATA_DIR.resolve("tenants");
    private static final Path DEST = DATA_DIR.resolve("dest");
    private static final String DB = "tenant_backup_it_restorefail";

    private static ServiceProcess service;
    private static int port;

    @BeforeAll
    static void startService() throws Exception {
        for (String name : List.of(SOURCE, RESTORED)) {
            TenantApiClient.removeLeftovers(TENANTS, name);
        }
        TestTenant.deleteTree(DATA_DIR);
        service = ServiceProcess.startFresh(TENANTS, DB, Path.of("target/it-restore-crash.log"), Map.of());
        RestAssured.baseURI = service.baseUri();
        RestAssured.port = -1;
    }

    @AfterAll
    static void stopService() throws Exception {
        if (service != null) {
            try {
                for (String name : List.of(RESTORED, SOURCE)) {
                    if (api().get("/api/v1/tenant/" + name).statusCode() == 200) {
                        TenantApiClient.dropTenant(name);
                    }
                }
            } finally {
                service.close();
            }
        }
        RestAssured.reset();
        TestTenant.deleteTree(DATA_DIR);
    }

    @Test
    void aRestoreInterruptedByAServiceCrashEndsFailedLeavesNothingAndTheNameCanBeUsedAgain() throws Exception {
        port = createTenant(SOURCE, ROOT_PASSWORD).getInt("connection.port");
        sql("CREATE DATABASE shop", "USE shop", "SET sql_log_bin = 0",
                "CREATE TABLE shop.events (id INT PRIMARY KEY, pad VARCHAR(255)) ENGINE=InnoDB",
                "INSERT INTO shop.events SELECT seq, REPEAT(MD5(seq), 7) FROM seq_1_to_1000000");
        String configDag = api().body(Map.of("data_base_uri", "file://" + DEST.resolve("data"),
                        "archive_base_uri", "file://" + DEST.resolve("archive"), "archive_lag_target", "1s"))
                .post("/api/v1/tenant/" + SOURCE + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(configDag).getString("state"));
        String backupDag = api().body("{\"mode\":\"full\",\"encryption\":\"" + BACKUP_PASSWORD + "\"}")
                .post("/api/v1/tenant/" + SOURCE + "/backup").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(backupDag).getString("state"));
        sql("USE shop", "CREATE TABLE shop.replayed (id INT PRIMARY KEY, pad VARCHAR(255)) ENGINE=InnoDB",
                "INSERT INTO shop.replayed SELECT seq, REPEAT(MD5(seq), 3) FROM seq_1_to_300000");
        awaitArchived();
        sleep(1100);
        Instant point = Instant.now();
        Map<String, Long> atThePoint = checksums(port);
        sleep(1100);
        sql("INSERT INTO shop.replayed VALUES (0, 'after the point')");
        awaitArchived();
        Map<String, Object> restore = Map.of("data_backup_uri", "file://" + DEST.resolve("data"),
                "archive_log_uri", "file://" + DEST.resolve("archive"), "restore_tenant_name", RESTORED,
                "timestamp", point.toString(), "decryption", List.of(BACKUP_PASSWORD));

        String extracting = startRestore(restore);
        awaitUntil(() -> stagedBytes() > 20_000_000L, extracting, "Start restore never extracted 20 MB");
        service.kill();
        service.start();
        assertEndedFailedAndLeftNothing(extracting, 1, "Start restore");

        String replaying = startRestore(restore);
        awaitUntil(() -> processes("mariadb-binlog").findAny().isPresent(), replaying,
                "the binlog replay never started");
        service.kill();
        service.start();
        assertEndedFailedAndLeftNothing(replaying, 2, "Wait restore task finish");

        JsonPath third = awaitDag(startRestore(restore));
        assertEquals("SUCCEED", third.getString("state"), third::prettify);
        int restoredPort = api().get("/api/v1/tenant/" + RESTORED).then().statusCode(200)
                .extract().path("data.connection.port");
        assertEquals(atThePoint, checksums(restoredPort));
    }

    private static void assertEndedFailedAndLeftNothing(String dagId, int node, String nodeName) throws Exception {
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        assertEquals(nodeName, dag.getString("nodes[" + node + "].name"));
        List<String> logs = dag.getList("nodes[" + node + "].sub_tasks[0].task_logs");
        assertTrue(logs.stream().anyMatch(line -> line.contains("The service stopped while '" + nodeName
                + "' was running")), logs::toString);
        assertTrue(logs.stream().anyMatch(line -> line.contains("Removed tenant '" + RESTORED + "'")),
                logs::toString);
        assertFalse(Files.exists(TENANTS.resolve(".restore").resolve(RESTORED)), "staging left");
        assertFalse(Files.exists(TENANTS.resolve(RESTORED)), "the half-made instance's home left");
        api().get("/api/v1/tenant/" + RESTORED).then().statusCode(400);
        api().get("/api/v1/tenant/" + RESTORED + "/restore/overview").then().statusCode(400);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (processes(RESTORED).findAny().isPresent()) {
            assertTrue(System.nanoTime() < deadline, () -> "processes of the failed restore still run: "
                    + processes(RESTORED).map(p -> p.info().commandLine().orElse("")).toList());
            sleep(200);
        }
    }

    private static String startRestore(Map<String, Object> body) {
        return api().body(body).post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id");
    }

    /** Waits, polling every 10 ms, while the DAG runs; fails if it ends or the deadline passes first. */
    private static void awaitUntil(BooleanSupplier condition, String dagId, String never) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, never);
            String state = api().get("/api/v1/task/dag/" + dagId).then().extract().path("data.state");
            assertFalse(state.equals("SUCCEED") || state.equals("FAILED"), never + " before the DAG ended " + state);
            sleep(10);
        }
    }

    private static long stagedBytes() {
        Path staging = TENANTS.resolve(".restore").resolve(RESTORED);
        try (Stream<Path> files = Files.walk(staging)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (Exception notYet) {
            return 0;
        }
    }

    /** Processes whose command line mentions {@code text} and the restored tenant's name. */
    private static Stream<ProcessHandle> processes(String text) {
        return ProcessHandle.allProcesses().filter(process -> {
            String line = process.info().commandLine().orElse("");
            return line.contains(text) && line.contains("/" + RESTORED);
        });
    }

    private static void awaitArchived() throws Exception {
        String position;
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("FLUSH BINARY LOGS");
            try (ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
                row.next();
                position = row.getString(1);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!ArchivedBinlogs.archivedUpTo(DEST.resolve("archive"), 1).equals(position)) {
            assertTrue(System.nanoTime() < deadline, "the archive never reached GTID " + position);
            sleep(250);
        }
    }

    private static Map<String, Long> checksums(int tenantPort) throws Exception {
        try (Connection connection = connectAsRoot(tenantPort, ROOT_PASSWORD)) {
            return TableChecksums.of(connection);
        }
    }

    private static void sql(String... statements) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }
}
