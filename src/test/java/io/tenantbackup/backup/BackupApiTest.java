package io.tenantbackup.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.RestoreCheck;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TableChecksums;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed endpoint end to end over HTTP, on a tenant provisioned through the API: configuration, a full backup
 * followed as a DAG, the stored set checked against its manifest and restored, then bad input and failures.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupApiTest {

    private static final String TENANT = "bk1";
    private static final String ROOT_PASSWORD = "r00t'pw\"; --";

    @Inject
    ServiceConfig config;

    @Inject
    ObjectMapper json;

    private Path destinations;
    private int port;

    /** Runs once, before the first test: Quarkus sets rest-assured's port only around test methods. */
    @BeforeEach
    void tenantWithData() throws Exception {
        if (port != 0) {
            return;
        }
        removeLeftovers(config.dataDir(), TENANT);
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-dest");
        TestTenant.deleteTree(destinations);
        port = createTenant(TENANT, ROOT_PASSWORD).getInt("connection.port");
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("USE shop");
            sql.execute("CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64)) ENGINE=InnoDB");
            sql.execute("INSERT INTO shop.customers SELECT seq, CONCAT('customer-', seq) FROM seq_1_to_20000");
            sql.execute("CREATE TABLE shop.notes (id INT PRIMARY KEY, body VARCHAR(32)) ENGINE=Aria");
            sql.execute("INSERT INTO shop.notes VALUES (1, 'non-InnoDB table')");
            // about 250 MB without binlog: a backup long enough to interrupt
            sql.execute("SET sql_log_bin = 0");
            sql.execute("CREATE TABLE shop.events (id INT PRIMARY KEY, pad VARCHAR(255)) ENGINE=InnoDB");
            sql.execute("INSERT INTO shop.events SELECT seq, REPEAT(MD5(seq), 7) FROM seq_1_to_1000000");
        }
    }

    @Test
    @Order(1)
    void badTenantNamesAreRefusedBeforeTheBodyIsRead() {
        badRequest().body("{not json").post("/api/v1/tenant/sys/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.SysOperationNotAllowed"));
        badRequest().body("{not json").post("/api/v1/tenant/nobody/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"))
                .body("error.message", equalTo("Tenant 'nobody' does not exist."));
        badRequest().body("{}").post("/api/v1/tenant/bad-name/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.Name.Invalid"));
        badRequest().body("{not json").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("Common.BindJsonFailed"));
        badRequest().body("{\"mode\": 5}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("Common.BindJsonFailed"));
    }

    @Test
    @Order(2)
    void backupWithoutConfigAndBadConfigAreRefusedAndCreateNothing() {
        int unfinished = TenantApiClient.unfinishedDagCount();
        badRequest().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.ArchiveDestEmpty"));
        badRequest().body(Map.of("archive_base_uri", uri("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.DataBaseUriEmpty"));
        badRequest().body(Map.of("data_base_uri", "s3://bucket/data", "archive_base_uri", uri("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Storage.URI.Invalid"))
                .body("error.message", containsString("invalid url format, missing query params"));
        badRequest().body(Map.of("data_base_uri", "ftp://host/data", "archive_base_uri", uri("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Storage.URI.Invalid"));
        badRequest().body(Map.of("data_base_uri", "file://relative/../x", "archive_base_uri", uri("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Storage.URI.Invalid"));
        badRequest().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .statusCode(404).body("error.errCode", equalTo("Task.NotFound"));
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
        assertFalse(Files.exists(destinations), "nothing may be created at a refused destination");
    }

    @Test
    @Order(3)
    void configDagProbesAndStoresTheDestinations() {
        JsonPath dag = configure();
        assertEquals("Set obcluster backup config for " + TENANT, dag.getString("name"));
        assertEquals(List.of("Check backup config", "Set backup config"), dag.getList("nodes.name"));
        api().get("/api/v1/tenant/" + TENANT + "/backup/config/storage").then()
                .statusCode(200)
                .body("data.data_base_uri", equalTo(uri("data")))
                .body("data.archive_base_uri", equalTo(uri("archive")));
    }

    @Test
    @Order(4)
    void modeIsValidatedAfterTheDestinations() {
        badRequest().body("{\"mode\":\"FOO\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.Mode.Invalid"))
                .body("error.message", equalTo("Invalid backup mode: foo, must be full or incremental"));
    }

    @Test
    @Order(5)
    void fullBackupSucceedsIsVerifiedAndRestoresToTheSameData() throws Exception {
        Map<String, Long> source = sourceChecksums();
        JsonPath created = api().body("{\"mode\":\"\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200)
                .body("data.name", equalTo("Obcluster start full backup for " + TENANT))
                .body("data.state", equalTo("READY"))
                .body("data.max_stage", equalTo(4))
                .extract().jsonPath().setRootPath("data");
        JsonPath dag = awaitDag(created.getString("id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        assertEquals(List.of("Check destination", "Open archive log", "Start backup", "Wait backup Finish"),
                dag.getList("nodes.name"));
        List<String> startLogs = dag.getList("nodes[2].sub_tasks[0].task_logs");
        assertTrue(startLogs.stream().anyMatch(line -> line.contains("completed OK!")), startLogs::toString);
        for (int node = 0; node < 4; node++) {
            assertFalse(dag.getList("nodes[" + node + "].sub_tasks[0].task_logs").isEmpty(), "logs of node " + node);
        }

        JsonPath overview = api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200)
                .body("data.status.status", equalTo("COMPLETED"))
                .extract().jsonPath().setRootPath("data.status");
        assertTrue(overview.getLong("end_scn") > 0, "GTID seq_no of the backup point");
        assertTrue(overview.getLong("input_bytes") > 200_000_000L, overview::prettify);
        assertEquals(100, dag.getInt("nodes[2].sub_tasks[0].additional_data.progress_percent"));
        Path setDir = Path.of(overview.getString("path").substring("file://".length()));
        assertEquals(destinations.resolve("data/backup_set_" + overview.getLong("backup_set_id") + "_full"), setDir);

        JsonNode manifest = json.readTree(setDir.resolve("manifest.json").toFile());
        assertEquals(overview.getLong("backup_set_id"), manifest.get("backup_set_id").asLong());
        assertTrue(manifest.get("to_lsn").asLong() > 0);
        assertFalse(manifest.get("files").isEmpty());
        assertEquals(StoredSets.manifest(setDir).file("data.xbstream").sourceSize(),
                dag.getLong("nodes[2].sub_tasks[0].additional_data.progress_bytes"));
        for (JsonNode file : manifest.get("files")) {
            Path stored = setDir.resolve(file.get("name").asText());
            assertEquals(file.get("size").asLong(), Files.size(stored), stored.toString());
            assertEquals(file.get("sha256").asText(), StoredSets.sha256(stored), stored.toString());
        }
        Path xbstream = StoredSets.decodeData(setDir, null, Files.createTempFile("bk1-", ".xbstream"));
        try {
            assertEquals(source, RestoreCheck.restoredChecksums(xbstream,
                    config.dataDir().resolve(TENANT).resolve("agent.cnf")));
        } finally {
            Files.delete(xbstream);
        }

        api().get("/api/v1/tenant/" + TENANT + "/backup/tasks?status=completed&sort=end_timestamp,asc").then()
                .statusCode(200)
                .body("data.contents[0].backup_set_id", equalTo(overview.getInt("backup_set_id")))
                .body("data.contents[0].backup_type", equalTo("FULL"))
                .body("data.page.total_elements", equalTo(1));
        api().get("/api/v1/tenant/" + TENANT + "/backup/info").then()
                .statusCode(200)
                .body("data.lastest_data_backup_time", containsString("T"));
    }

    @Test
    @Order(6)
    void secondBackupWhileOneRunsIsRefusedAndCancelLeavesNoSet() {
        String dagId = startBackup();
        int setsBefore = backupTaskCount();
        badRequest().body("{}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.InProgress"))
                .body("error.message", containsString("DAG " + dagId));
        assertEquals(setsBefore, backupTaskCount(), "a refused backup must create no set");
        Path setDir = awaitStreaming(dagId);

        api().body("{\"operator\":\"CANCEL\"}").post("/api/v1/task/dag/" + dagId).then().statusCode(200);
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"));
        assertEquals("CANCEL", dag.getString("operator"));
        api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .body("data.status.status", equalTo("CANCELED"));
        assertFalse(Files.exists(setDir), "partial set left: " + setDir);
    }

    @Test
    @Order(7)
    void unwritableDestinationFailsAtCheckDestination() throws Exception {
        withDataDestinationReplaced(data -> Files.writeString(data, "a file where the data directory should be"),
                data -> {
                    JsonPath dag = awaitDag(startBackup());
                    assertEquals("FAILED", dag.getString("state"));
                    assertEquals("FAILED", dag.getString("nodes[0].state"));
                    assertEquals("Check destination", dag.getString("nodes[0].name"));
                    List<String> logs = dag.getList("nodes[0].sub_tasks[0].task_logs");
                    assertTrue(logs.get(logs.size() - 1).contains("is not usable"), logs::toString);
                }, data -> { });
    }

    /**
     * The storage write fails on the hand-off's thread while mariabackup's stdout is read on a third one: mariabackup
     * is stopped, the DAG fails naming the file and the reason, and nothing of the set is left.
     */
    @Test
    @Order(7)
    void destinationFillingUpMidStreamFailsNamingTheFileAndStopsMariabackup() throws Exception {
        boolean[] mounted = {false};
        withDataDestinationReplaced(data -> {
            Files.createDirectory(data);
            mounted[0] = run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", data.toString());
        }, data -> {
            Assumptions.assumeTrue(mounted[0], "mounting a 4 MiB tmpfs needs root");
            JsonPath dag = awaitDag(startBackup());
            assertEquals("FAILED", dag.getString("state"));
            assertEquals("Start backup", dag.getString("nodes[2].name"));
            assertEquals("FAILED", dag.getString("nodes[2].state"));
            List<String> logs = dag.getList("nodes[2].sub_tasks[0].task_logs");
            String last = logs.get(logs.size() - 1);
            assertTrue(last.startsWith("ERROR: ") && last.contains("data.xbstream.zst")
                    && last.contains("No space left on device"), logs::toString);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (mariabackupRuns()) {
                assertTrue(System.nanoTime() < deadline, "mariabackup still runs after the DAG failed");
                sleep(50);
            }
            try (var left = Files.list(data)) {
                assertTrue(left.noneMatch(file -> file.getFileName().toString().startsWith("backup_set_")),
                        "partial set left in " + data);
            }
        }, data -> {
            if (mounted[0]) {
                run("umount", data.toString());
            }
        });
    }

    @FunctionalInterface
    private interface DestinationStep {
        void run(Path data) throws Exception;
    }

    /** Sets the data destination's directory aside for {@code check}, replaced by what {@code replace} makes there. */
    private void withDataDestinationReplaced(DestinationStep replace, DestinationStep check, DestinationStep undo)
            throws Exception {
        Path data = destinations.resolve("data");
        Path aside = destinations.resolve("data-aside");
        Files.move(data, aside);
        try {
            replace.run(data);
            check.run(data);
        } finally {
            undo.run(data);
            Files.delete(data);
            Files.move(aside, data);
        }
    }

    private static boolean mariabackupRuns() {
        return ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine()
                .filter(line -> line.contains("mariabackup") && line.contains("/" + TENANT + "/")).isPresent());
    }

    private static boolean run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor() == 0;
    }

    @Test
    @Order(8)
    void tenantKilledMidBackupFailsWithAReasonAndNoManifest() throws Exception {
        String dagId = startBackup();
        Path setDir = awaitStreaming(dagId);
        long pid = Long.parseLong(Files.readString(config.dataDir().resolve(TENANT).resolve("mysqld.pid")).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"));
        assertEquals("Start backup", dag.getString("nodes[2].name"));
        List<String> logs = dag.getList("nodes[2].sub_tasks[0].task_logs");
        assertTrue(logs.get(logs.size() - 1).startsWith("ERROR: "), logs::toString);
        assertTrue(logs.get(logs.size() - 1).contains("mariabackup"), logs::toString);
        api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .body("data.status.status", equalTo("FAILED"));
        assertFalse(Files.exists(setDir.resolve("manifest.json")));
        assertFalse(Files.exists(setDir), "partial set left: " + setDir);
    }

    @Test
    @Order(9)
    void droppingTheTenantStopsAndRemovesIt() {
        dropTenant(TENANT);
        assertFalse(Files.exists(config.dataDir().resolve(TENANT)), "tenant directory left behind");
        badRequest().get("/api/v1/tenant/" + TENANT).then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"));
    }

    private JsonPath configure() {
        String dagId = api().body(Map.of("data_base_uri", uri("data"), "archive_base_uri", uri("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(200)
                .extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return dag;
    }

    private String startBackup() {
        return api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
    }

    /** Waits until 5 MB of the (compressed) stream are stored; returns the set directory. */
    private Path awaitStreaming(String dagId) {
        JsonPath overview = api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200)
                .extract().jsonPath().setRootPath("data.status");
        Path setDir = Path.of(overview.getString("path").substring("file://".length()));
        Path part = setDir.resolve("data.xbstream.zst.part");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!(Files.exists(part) && size(part) > 5_000_000L)) {
            assertTrue(System.nanoTime() < deadline, "the backup never stored 5 MB of " + part);
            String state = api().get("/api/v1/task/dag/" + dagId + "?show_details=false").then()
                    .extract().path("data.state");
            assertFalse(state.equals("SUCCEED") || state.equals("FAILED"), "the backup ended before it could be interrupted");
            sleep(5);
        }
        return setDir;
    }

    private Map<String, Long> sourceChecksums() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            return TableChecksums.of(connection);
        }
    }

    private int backupTaskCount() {
        return api().get("/api/v1/tenant/" + TENANT + "/backup/tasks").then().statusCode(200)
                .extract().path("data.page.total_elements");
    }

    private String uri(String leaf) {
        return "file://" + destinations.resolve(leaf);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException gone) {
            return 0;
        }
    }
}
