package io.tenantbackup.archive;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.testing.ManagementInterface;
import io.tenantbackup.testing.RestoreCheck;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TableChecksums;
import io.tenantbackup.testing.TestTenant;
import io.tenantbackup.tenant.TenantService;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Archive log end to end on a tenant made through the API: a full backup opens archiving, transactions go on, and the
 * full's prepared copy plus the archived binlog replayed from the full's GTID equals the source; the same after the
 * streamer is killed, the tenant restarts and the archiving service restarts. A purged binlog interrupts the round.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveLogApiTest {

    private static final String TENANT = "ar1";
    private static final String ROOT_PASSWORD = "ar1-root";
    private static final String LOG = "/api/v1/tenant/" + TENANT + "/backup/log";

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    ServiceConfig config;
    @Inject
    ArchiveSupervisor supervisor;
    @Inject
    TenantService tenants;
    @Inject
    ArchiveLogs logs;
    @Inject
    Scheduler scheduler;

    private Path destinations;
    private int port;
    private long tenantId;
    private int nextId = 100_000;
    private String fullGtid;
    private Path fullStream;

    @BeforeEach
    void tenantWithData() throws Exception {
        if (port != 0) {
            return;
        }
        removeLeftovers(config.dataDir(), TENANT);
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-dest");
        TestTenant.deleteTree(destinations);
        port = createTenant(TENANT, ROOT_PASSWORD).getInt("connection.port");
        tenantId = tenants.requireNormal(TENANT).id();
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("USE shop");
            sql.execute("CREATE TABLE items (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(64)) ENGINE=InnoDB");
            sql.execute("INSERT INTO items SELECT seq, seq % 10, CONCAT('item-', seq) FROM seq_1_to_2000");
        }
    }

    @Test
    @Order(1)
    void statusIsValidatedAndNeedsAnArchiveDestination() {
        badRequest().body("{\"status\":\"doing\"}").patch(LOG).then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.ArchiveDestEmpty"))
                .body("error.message", containsString("Archive destination is empty, tenant: " + TENANT));
        badRequest().body("{\"status\":\"foo\"}").patch(LOG).then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.ArchiveLogStatus.Invalid"))
                .body("error.message", containsString("FOO"));
        badRequest().body("{\"status\":\"interrupted\"}").patch(LOG).then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.ArchiveLogStatus.Invalid"));
        badRequest().body("{\"status\":5}").patch(LOG).then()
                .statusCode(400).body("error.errCode", equalTo("Common.BindJsonFailed"));
        badRequest().body("{not json").patch(LOG).then()
                .statusCode(400).body("error.errCode", equalTo("Common.BindJsonFailed"));
        badRequest().body("{not json").patch("/api/v1/tenant/nobody/backup/log").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"));
        badRequest().body("{}").patch("/api/v1/tenant/sys/backup/log").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.SysOperationNotAllowed"));
        api().get(LOG + "/tasks").then().statusCode(200).body("data.contents", empty());
    }

    @Test
    @Order(2)
    void archiveAfterAFullBackupReplaysToTheSourcesFinalState() throws Exception {
        configure();
        api().body("{\"status\":\"\"}").patch(LOG).then().statusCode(200);
        api().get(LOG + "/tasks").then().statusCode(200).body("data.contents", empty());

        String dagId = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        List<String> openLogs = dag.getList("nodes[1].sub_tasks[0].task_logs");
        assertTrue(openLogs.stream().anyMatch(line -> line.contains("streams its binlog")), openLogs::toString);
        awaitMetricLine("tenant_backup_archive_status{", "status=\"DOING\"", "tenant=\"" + TENANT + "\"",
                "encrypted=\"false\"", " 1.0");
        api().get("/api/v1/tenant/" + TENANT + "/backup/config/storage").then().statusCode(200)
                .body("data.archive_encrypted", equalTo(false));
        api().get(LOG + "/tasks").then().statusCode(200)
                .body("data.contents[0].status", equalTo("DOING"))
                .body("data.contents[0].round_id", equalTo(1))
                .body("data.contents[0].tenant_id", equalTo((int) tenantId))
                .body("data.contents[0].path", equalTo("file://" + archiveRoot()));
        JsonPath set = api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200)
                .body("data.status.status", equalTo("COMPLETED")).extract().jsonPath().setRootPath("data.status");
        Path setDir = Path.of(set.getString("path").substring("file://".length()));
        fullGtid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(setDir.resolve("manifest.json").toFile())
                .get("gtid").asText();
        fullStream = StoredSets.decodeData(setDir, null, Files.createTempFile("ar-full-", ".xbstream"));

        write();
        flushBinaryLogs();
        write();
        assertEquals(awaitArchived(), replayed());
        api().get("/api/v1/tenant/" + TENANT + "/backup/info").then().statusCode(200)
                .body("data.lastest_archive_log_checkpoint", notNullValue())
                .body("data.archive_log_delay", notNullValue())
                .body("data.lastest_data_backup_time", notNullValue());
    }

    @Test
    @Order(3)
    void streamerKillTenantRestartAndServiceRestartLoseAndDuplicateNothing() throws Exception {
        write();
        long killed = streamerPid();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        write();
        assertNotEquals(killed, awaitStreamer(killed));

        tenants.stopInstance(TENANT, line -> { });
        tenants.startInstance(TENANT, line -> { });
        write();
        awaitStreamer(0);

        supervisor.stopAll();
        assertTrue(supervisor.streamerPid(tenantId).isEmpty());
        write();
        flushBinaryLogs();
        write();
        supervisor.startAll();
        write();

        Map<String, Long> source = awaitArchived();
        assertEachFileArchivedOnceAndIdentical();
        assertEquals(source, replayed());
    }

    @Test
    @Order(4)
    void aBinlogPurgedBeforeItIsArchivedInterruptsTheRound() throws Exception {
        api().body("{\"status\":\"suspend\"}").patch(LOG).then().statusCode(200);
        api().get(LOG + "/tasks").then().body("data.contents[0].status", equalTo("SUSPEND"));
        assertTrue(supervisor.streamerPid(tenantId).isEmpty());
        write();
        String current = purgeAllButTheCurrentFile();

        api().body("{\"status\":\"doing\"}").patch(LOG).then().statusCode(200);
        JsonPath round = awaitStatus("INTERRUPTED");
        assertTrue(round.getString("comment").contains("was purged before it was archived"), round::prettify);
        assertTrue(round.getString("comment").contains(current), round::prettify);

        badRequest().body("{\"status\":\"doing\"}").patch(LOG).then()
                .statusCode(500).body("error.errCode", equalTo("Common.Unexpected"))
                .body("error.message", containsString("INTERRUPTED"));
        badRequest().body("{\"status\":\"suspend\"}").patch(LOG).then().statusCode(500);
        JsonPath dag = awaitDag(startFullBackup());
        assertEquals("FAILED", dag.getString("state"));
        List<String> openLogs = dag.getList("nodes[1].sub_tasks[0].task_logs");
        assertTrue(openLogs.get(openLogs.size() - 1).contains("was purged before it was archived"), openLogs::toString);

        api().body("{}").patch(LOG).then().statusCode(200);
        awaitStatus("STOP");
        api().body("{\"status\":\"DOING\"}").patch(LOG).then().statusCode(200);
        api().get(LOG + "/tasks").then()
                .body("data.contents[0].status", equalTo("DOING"))
                .body("data.contents[0].round_id", equalTo(2));
        awaitStreamer(0);
    }

    @Test
    @Order(5)
    void aBackupConfirmsTheStreamingRoundAndTakesUpARoundBegunThroughAnotherAgent() throws Exception {
        long streamer = streamerPid();
        List<String> confirmed = openArchiveLogLines();
        assertTrue(confirmed.stream().anyMatch(line -> line.contains("is DOING, round 2 into file://" + archiveRoot())),
                confirmed::toString);
        assertTrue(confirmed.stream().anyMatch(line -> line.contains("streams its binlog")), confirmed::toString);
        assertEquals(streamer, streamerPid(), "a backup leaves the streaming archiver alone");

        // the periodic sync would take up round 3 as well, a little later, and hide a backup that did not: paused, only
        // the backup's "Open archive log" can start the archiver of round 3 here
        scheduler.pause(ArchiveSupervisor.SYNC_JOB);
        String dagId;
        try {
            // another agent on the same metadata database stops round 2 and begins round 3, whose archiver there reached
            // the binlog before the tenant came back here: only the row changes, this process' archiver still streams
            // round 2
            logs.change(tenantId, TENANT, ArchiveStatus.STOP, null);
            logs.change(tenantId, TENANT, ArchiveStatus.DOING, "file://" + archiveRoot());
            logs.startFile(tenantId, 3, currentBinlogFile());
            dagId = startFullBackup();
            awaitOpenArchiveLogSucceeded(dagId);
            OptionalLong round3 = supervisor.streamerPid(tenantId);
            assertTrue(round3.isPresent() && round3.getAsLong() != streamer,
                    "once 'Open archive log' succeeded, a new archiver here streams round 3");
        } finally {
            scheduler.resume(ArchiveSupervisor.SYNC_JOB);
        }
        List<String> takenUp = openArchiveLogLines(dagId);
        assertTrue(takenUp.stream().anyMatch(line -> line.contains("is DOING, round 3")), takenUp::toString);
        assertTrue(takenUp.stream().anyMatch(line -> line.contains("streams its binlog")), takenUp::toString);
    }

    /** Waits until the backup's "Open archive log" node succeeded, while the rest of the backup may still run. */
    private void awaitOpenArchiveLogSucceeded(String dagId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath dag = api().get("/api/v1/task/dag/" + dagId + "?show_details=true").then().statusCode(200)
                    .extract().jsonPath().setRootPath("data");
            assertEquals("Open archive log", dag.getString("nodes[1].name"), dag::prettify);
            String state = dag.getString("nodes[1].state");
            if (state.equals("SUCCEED")) {
                return;
            }
            assertNotEquals("FAILED", state, dag::prettify);
            sleep(100);
        }
        throw new AssertionError("'Open archive log' of DAG " + dagId + " did not succeed within 3 minutes");
    }

    private String currentBinlogFile() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SHOW MASTER STATUS")) {
            row.next();
            return row.getString("File");
        }
    }

    /** Runs a full backup that must succeed; returns the lines of its "Open archive log" node. */
    private List<String> openArchiveLogLines() {
        return openArchiveLogLines(startFullBackup());
    }

    /** Waits for the full backup {@code dagId}, which must succeed; returns the lines of its "Open archive log" node. */
    private List<String> openArchiveLogLines(String dagId) {
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return dag.getList("nodes[1].sub_tasks[0].task_logs");
    }

    private String startFullBackup() {
        return api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
    }

    @Test
    @Order(6)
    void droppingTheTenantStopsItsArchiver() throws Exception {
        Files.deleteIfExists(fullStream);
        dropTenant(TENANT);
        assertTrue(supervisor.streamerPid(tenantId).isEmpty());
        assertFalse(Files.exists(config.dataDir().resolve(TENANT)));
        assertTrue(Files.isDirectory(archiveRoot().resolve("round_1")), "the archive outlives the tenant");
    }

    /** Waits (the gauges refresh every second in tests) for a /q/metrics line that contains every part. */
    private void awaitMetricLine(String... parts) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            String scrape = ManagementInterface.metrics(management);
            if (scrape.lines().anyMatch(line -> java.util.Arrays.stream(parts).allMatch(line::contains))) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError("no metric line with " + java.util.Arrays.toString(parts));
    }

    private void configure() {
        String dagId = api().body(Map.of("data_base_uri", "file://" + destinations.resolve("data"),
                        "archive_base_uri", "file://" + archiveRoot(), "archive_lag_target", "2s"))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(200)
                .extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
    }

    /** A few transactions: inserts, an update of many rows, a delete. */
    private void write() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            for (int i = 0; i < 3; i++) {
                int id = nextId++;
                sql.execute("INSERT INTO shop.items VALUES (" + id + ", " + i + ", 'written-" + id + "')");
            }
            sql.execute("UPDATE shop.items SET qty = qty + 1 WHERE id % 13 = " + (nextId % 13));
            sql.execute("DELETE FROM shop.items WHERE id = " + (nextId % 2000 + 1));
        }
    }

    private void flushBinaryLogs() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("FLUSH BINARY LOGS");
        }
    }

    /**
     * Waits until the archive holds every transaction the source has committed (the last archived file ends at the
     * server's GTID position) and the checkpoint is past them; returns the source's checksums at that point.
     */
    private Map<String, Long> awaitArchived() throws Exception {
        GtidPosition server;
        Map<String, Long> checksums;
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            server = GtidPosition.parse(row.getString(1));
            checksums = TableChecksums.of(connection);
        }
        OffsetDateTime written = OffsetDateTime.now();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String checkpoint = api().get(LOG + "/tasks").then().statusCode(200)
                    .extract().path("data.contents[0].checkpoint");
            List<PieceManifest> pieces = ArchivedBinlogs.manifests(archiveRoot(), 1);
            GtidPosition archived = pieces.isEmpty() ? GtidPosition.EMPTY
                    : GtidPosition.parse(pieces.get(pieces.size() - 1).lastFile().endGtidPos());
            if (checkpoint != null && OffsetDateTime.parse(checkpoint).isAfter(written) && archived.equals(server)) {
                return checksums;
            }
            sleep(500);
        }
        throw new AssertionError("The archive did not reach GTID position " + server + " within 90 s");
    }

    /** The full's prepared copy with the archived binlog replayed from the full's GTID in one client session. */
    private Map<String, Long> replayed() throws Exception {
        Path binlogs = Files.createTempDirectory(Path.of("/tmp"), "tb-arb");
        try {
            List<Path> files = ArchivedBinlogs.extract(archiveRoot(), 1, binlogs);
            return RestoreCheck.restoredChecksums(List.of(fullStream), config.dataDir().resolve(TENANT).resolve("agent.cnf"),
                    (layout, copyPort) -> {
                        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c",
                                "set -o pipefail; gtid=$1 cnf=$2 port=$3; shift 3; "
                                        + "mariadb-binlog --no-defaults --start-position=\"$gtid\" \"$@\""
                                        + " | mariadb --defaults-file=\"$cnf\" --host=127.0.0.1 --port=\"$port\"",
                                "replay", fullGtid, layout.agentOptionFile().toString(), Integer.toString(copyPort)));
                        files.forEach(file -> command.add(file.toString()));
                        ExternalCommand.of(command).timeout(Duration.ofMinutes(5)).runChecked();
                    });
        } finally {
            TestTenant.deleteTree(binlogs);
        }
    }

    /** Consecutive file names, each listed once, no stored file outside the manifests, each equal to the server's. */
    private void assertEachFileArchivedOnceAndIdentical() throws Exception {
        List<String> names = ArchivedBinlogs.assertArchivedOnceAndIdentical(archiveRoot(), 1,
                config.dataDir().resolve(TENANT).resolve("binlog"));
        // mysql-bin.000001, then one rotation each by the tenant restart, the FLUSH and at least one lag target
        assertTrue(names.size() >= 4, "rotations by FLUSH, tenant restart and lag target: " + names);
    }

    /** Rotates, then purges every binlog file but the new current one; returns the first purged file. */
    private String purgeAllButTheCurrentFile() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            String purged;
            try (ResultSet row = sql.executeQuery("SHOW MASTER STATUS")) {
                row.next();
                purged = row.getString("File");
            }
            sql.execute("FLUSH BINARY LOGS");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                String current;
                try (ResultSet row = sql.executeQuery("SHOW MASTER STATUS")) {
                    row.next();
                    current = row.getString("File");
                }
                sql.execute("PURGE BINARY LOGS TO '" + current + "'");
                try (ResultSet rows = sql.executeQuery("SHOW BINARY LOGS")) {
                    rows.next();
                    if (rows.getString(1).equals(current)) {
                        return purged;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "binlog files before " + current + " could not be purged");
                sleep(500);
            }
        }
    }

    private JsonPath awaitStatus(String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath round = api().get(LOG + "/tasks").then().statusCode(200).extract().jsonPath()
                    .setRootPath("data.contents[0]");
            if (status.equals(round.getString("status"))) {
                return round;
            }
            sleep(300);
        }
        throw new AssertionError("Archive log of " + TENANT + " did not become " + status + " within 60 s");
    }

    private long streamerPid() {
        return awaitStreamer(0);
    }

    /** Waits for a streamer whose pid is not {@code other}; returns its pid. */
    private long awaitStreamer(long other) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = supervisor.streamerPid(tenantId);
            if (pid.isPresent() && pid.getAsLong() != other) {
                return pid.getAsLong();
            }
            sleep(200);
        }
        throw new AssertionError("No archiver streams the binlog of " + TENANT);
    }

    private Path archiveRoot() {
        return destinations.resolve("archive");
    }
}
