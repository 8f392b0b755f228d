package io.tenantbackup.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.ServiceConfig;
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

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issues 4 and 16 end to end over HTTP: a source tenant with full + 2 incrementals (the first encrypted) and its
 * binlog archive, restored as new tenants to the newest point (with and without the archive), to a timestamp, to an
 * SCN and to a time the idle archive's checkpoint covers, each compared with CHECKSUM TABLE and row counts recorded
 * on the source at that point; a request shaped like the Go SDK's; refusals before any DAG, a corrupt file, a restored
 * server that cannot start, a cancel as the Python SDK does it.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreApiTest {

    private static final String SOURCE = "rs1";
    private static final String ROOT_PASSWORD = "rs1-root";
    private static final String INC_PASSWORD = "rs-inc-pass";
    private static final String GO_FULL_PASSWORD = "rs-go-full-pass";
    private static final String GO_INC_PASSWORD = "rs-go-inc-pass";
    private static final String RESTORE = "/api/v1/tenant/restore";

    @Inject
    ServiceConfig config;
    @Inject
    TenantService tenants;

    private Path destinations;
    private int port;
    private int nextId = 100_000;
    private Map<String, Long> atLastBackup;
    private long countAtLastBackup;
    private long seqAtLastBackup;
    private final List<String> restoredTenants = new ArrayList<>();

    @BeforeEach
    void sourceWithData() throws Exception {
        if (port != 0) {
            return;
        }
        for (String name : List.of(SOURCE, "rs1r", "rs1t", "rs1s", "rs1c", "rs1x", "rs1b", "rs1z", "rs1n", "rs1i",
                "rs1g", "rs1p", "rs1k", "rs1l", "rs1j")) {
            removeLeftovers(config.dataDir(), name);
        }
        TestTenant.deleteTree(config.dataDir().resolve(".restore"));
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-rs-dest");
        TestTenant.deleteTree(destinations);
        port = createTenant(SOURCE, ROOT_PASSWORD).getInt("connection.port");
        sql("CREATE DATABASE shop", "USE shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(64)) ENGINE=InnoDB",
                "INSERT INTO shop.items SELECT seq, seq % 10, CONCAT('item-', seq) FROM seq_1_to_20000",
                "CREATE TABLE shop.notes (id INT PRIMARY KEY, body VARCHAR(32)) ENGINE=Aria",
                "INSERT INTO shop.notes VALUES (1, 'non-InnoDB table')");
        String dagId = api().body(Map.of("data_base_uri", "file://" + destinations.resolve("data"),
                        "archive_base_uri", "file://" + destinations.resolve("archive"), "archive_lag_target", "2s"))
                .post("/api/v1/tenant/" + SOURCE + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
    }

    @Test
    @Order(1)
    void fullAndTwoIncrementalsTheFirstEncrypted() throws Exception {
        backup("{\"mode\":\"full\"}");
        write();
        backup("{\"mode\":\"incremental\",\"encryption\":\"" + INC_PASSWORD + "\"}");
        write();
        sql("UPDATE shop.items SET qty = qty + 100 WHERE id BETWEEN 10 AND 500");
        backup("{\"mode\":\"incremental\"}");
        atLastBackup = sourceChecksums();
        countAtLastBackup = count(port, ROOT_PASSWORD);
        seqAtLastBackup = gtidSeqNo();
    }

    @Test
    @Order(2)
    void badRequestsAreRefusedBeforeAnyDag() {
        int unfinished = TenantApiClient.unfinishedDagCount();
        badRequest().body(body(SOURCE, List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.Existed"));
        badRequest().body(Map.of("data_backup_uri", dataUri(), "restore_tenant_name", "rs1x",
                        "timestamp", "2026-11-25T10:00:00Z", "scn", 5)).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("Common.IllegalArgument"));
        badRequest().body(Map.of("data_backup_uri", dataUri(), "restore_tenant_name", "rs1x",
                        "ha_high_thread_score", 101)).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("Common.IllegalArgument"));
        badRequest().body(Map.of("data_backup_uri", dataUri(), "restore_tenant_name", "sys")).post(RESTORE).then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.SysOperationNotAllowed"));
        badRequest().body(Map.of("data_backup_uri", dataUri(), "restore_tenant_name", "rs1x",
                        "timestamp", "2020-01-01T00:00:00Z")).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Point.NotRestorable"));
        badRequest().body(body("rs1x", List.of())).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Decryption.Failed"))
                .body("error.message", containsString("no decryption password was given"));
        badRequest().body(body("rs1x", List.of("wrong-1", "wrong-2"))).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Decryption.Failed"))
                .body("error.message", containsString("none of the 2 decryption password(s) opens it"));
        badRequest().body(Map.of("data_backup_uri", "file://" + destinations.resolve("nothing-here"),
                        "restore_tenant_name", "rs1x")).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.BackupSet.NotExist"));
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
        badRequest().get("/api/v1/tenant/rs1x").then().statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertFalse(Files.exists(config.dataDir().resolve("rs1x")));
    }

    @Test
    @Order(3)
    void newestPointRestoresTheLastBackupAndTheTenantWorksOnItsOwn() throws Exception {
        JsonPath dag = restore(body("rs1r", List.of("wrong-first", INC_PASSWORD)), "rs1r");
        assertEquals(List.of("Pre restore check", "Start restore", "Wait restore task finish", "Active tenant",
                "Upgrade tenant"), dag.getList("nodes.name"));
        List<String> preLogs = dag.getList("nodes[0].sub_tasks[0].task_logs");
        assertTrue(preLogs.stream().anyMatch(line -> line.contains("accounts are those of tenant '" + SOURCE + "'")),
                preLogs::toString);
        assertTrue(dag.prettify().indexOf(INC_PASSWORD) < 0, "no password in the DAG");
        assertParallelism(dag, Runtime.getRuntime().availableProcessors());
        int restoredPort = api().get("/api/v1/tenant/rs1r").then().statusCode(200)
                .body("data.status", equalTo("NORMAL")).extract().path("data.connection.port");
        try (Connection connection = connectAsRoot(restoredPort, ROOT_PASSWORD)) {
            assertEquals(atLastBackup, TableChecksums.of(connection));
        }
        assertEquals(countAtLastBackup, count(restoredPort, ROOT_PASSWORD));
        assertNextTransactionContinuesTheSourcesGtids(restoredPort, 999999);
        JsonPath overview = api().get("/api/v1/tenant/rs1r/restore/overview").then().statusCode(200)
                .body("data.status", equalTo("SUCCESS")).body("data.backup_tenant_name", equalTo(SOURCE))
                .body("data.restore_progress", equalTo("100%"))
                .extract().jsonPath().setRootPath("data");
        assertEquals(overview.getLong("total_bytes"), overview.getLong("finish_bytes"));
        assertTrue(overview.getLong("total_bytes") > 1_000_000, overview::prettify);
        assertTrue(overview.getLong("restore_scn") > 0, "the newest point resolves to an SCN: " + overview.prettify());
        assertEquals(overview.getLong("recover_scn"), overview.getLong("restore_scn"));
        assertEquals(seqAtLastBackup, overview.getLong("restore_scn"));
        assertTrue(overview.getString("description").contains("the end of the backup chain")
                && overview.getString("description").contains("there is no archived binlog"), overview::prettify);
        List<String> waitLogs = dag.getList("nodes[2].sub_tasks[0].task_logs");
        assertTrue(waitLogs.stream().anyMatch(line -> line.contains("the end of the backup chain")
                && line.contains(dataUri())), waitLogs::toString);
        assertTrue(waitLogs.stream().noneMatch(line -> line.contains("its binlog did not begin")),
                "the first start began the binlog with the backup's GTID state: " + waitLogs);
        assertEquals(3, overview.getString("backup_set_list").split(",").length);
        String configDag = api().body(Map.of("data_base_uri", "file://" + destinations.resolve("rs1r-data"),
                        "archive_base_uri", "file://" + destinations.resolve("rs1r-archive")))
                .post("/api/v1/tenant/rs1r/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(configDag).getString("state"));
        JsonPath backup = awaitDag(api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/rs1r/backup").then()
                .statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", backup.getString("state"), backup::prettify);
        api().get("/api/v1/tenant/rs1r/backup/log/tasks").then().statusCode(200)
                .body("data.contents[0].status", equalTo("DOING"));
    }

    @Test
    @Order(4)
    void timestampBetweenTheLastIncrementalAndNowReplaysTheArchive() throws Exception {
        write();
        sleep(1100);
        Map<String, Long> atTarget = sourceChecksums();
        long countAtTarget = count(port, ROOT_PASSWORD);
        Instant target = Instant.now();
        sleep(1100);
        write();
        awaitArchived();
        restore(Map.of("data_backup_uri", dataUri(), "archive_log_uri", archiveUri(), "restore_tenant_name", "rs1t",
                "timestamp", target.toString(), "decryption", List.of(INC_PASSWORD)), "rs1t");
        assertRestored("rs1t", atTarget, countAtTarget);
    }

    @Test
    @Order(5)
    void scnJustBeforeAnAccidentalDelete() throws Exception {
        write();
        Map<String, Long> beforeAccident = sourceChecksums();
        long countBefore = count(port, ROOT_PASSWORD);
        long seqBefore = gtidSeqNo();
        sql("DELETE FROM shop.items WHERE id < 5000");
        write();
        awaitArchived();
        restore(Map.of("data_backup_uri", dataUri(), "archive_log_uri", archiveUri(), "restore_tenant_name", "rs1s",
                "scn", seqBefore, "decryption", List.of(INC_PASSWORD)), "rs1s");
        assertRestored("rs1s", beforeAccident, countBefore);
        api().get("/api/v1/tenant/rs1s/restore/overview").then().statusCode(200)
                .body("data.restore_scn", equalTo((int) seqBefore))
                .body("data.recover_scn", equalTo((int) seqBefore));
    }

    @Test
    @Order(6)
    void aFlippedByteFailsTheRestoreNamingTheFileAndRegistersNothing() throws Exception {
        assertAFlippedByteFailsTheRestore("flipped", "rs1b", Comparator.reverseOrder()); // the encrypted incremental
    }

    /**
     * The clear full: a byte flipped in its zstd data may still decompress and reach the extraction as a damaged
     * chunk; the stored file's checksum, read to its end, names the file rather than the chunk.
     */
    @Test
    @Order(6)
    void aFlippedByteInAClearSetFailsTheRestoreNamingTheFile() throws Exception {
        assertAFlippedByteFailsTheRestore("flipped-full", "rs1j", Comparator.naturalOrder());
    }

    /** Flips a byte in the middle of the first data file of the chain's copy in {@code order} and restores it. */
    private void assertAFlippedByteFailsTheRestore(String copyName, String tenant, Comparator<Path> order)
            throws Exception {
        Path copy = destinations.resolve(copyName);
        TestTenant.copyTree(destinations.resolve("data"), copy);
        Path data;
        try (Stream<Path> files = Files.walk(copy)) {
            data = files.filter(file -> file.getFileName().toString().equals("data.xbstream.zst"))
                    .sorted(order).findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int value = file.read();
            file.seek(file.length() / 2);
            file.write(value ^ 0x01);
        }
        String dagId = api().body(Map.of("data_backup_uri", "file://" + copy, "restore_tenant_name", tenant,
                "decryption", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"));
        List<String> logs = dag.getList("nodes[1].sub_tasks[0].task_logs");
        assertTrue(logs.stream().anyMatch(line -> line.contains(data.getParent().getFileName() + "/data.xbstream.zst")),
                logs::toString);
        badRequest().get("/api/v1/tenant/" + tenant).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertFalse(Files.exists(config.dataDir().resolve(tenant)));
        assertFalse(Files.exists(config.dataDir().resolve(".restore").resolve(tenant)));
    }

    @Test
    @Order(7)
    void cancelDuringStartRestoreLeavesNothingAndTheNameCanBeUsedAgain() throws Exception {
        String dagId = api().body(body("rs1c", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(200)
                .extract().path("data.id");
        api().get("/api/v1/tenant/rs1c").then().statusCode(200).body("data.status", equalTo("RESTORING"));
        api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/rs1c/backup").then().statusCode(500)
                .body("error.errCode", equalTo("OB.Tenant.UnderMaintenance"));
        api().delete("/api/v1/tenant/rs1c").then().statusCode(500)
                .body("error.errCode", equalTo("OB.Tenant.UnderMaintenance"));
        awaitNodeRunning(dagId, 1);
        api().get("/api/v1/tenant/rs1c/restore/overview").then().statusCode(200)
                .body("data.status", equalTo("DOING"));
        String cancelDag = api().delete("/api/v1/tenant/rs1c/restore").then().statusCode(200)
                .body("data.name", equalTo("Restore backup_rs1c")).extract().path("data.id");
        JsonPath rolledBack = awaitSucceeded(cancelDag);
        assertEquals("ROLLBACK", rolledBack.getString("operator"), rolledBack::prettify);
        List<String> startLogs = rolledBack.getList("nodes[1].sub_tasks[0].task_logs");
        assertTrue(startLogs.stream().anyMatch(line -> line.contains("Rolling back 'Start restore'")),
                startLogs::toString);
        api().delete("/api/v1/tenant/rs1c/restore").then().statusCode(204);
        assertLeftNothingAndRestoresAgain("rs1c");
    }

    /**
     * The restored mariadbd cannot start: another program took its reserved port after the request. The restore
     * fails in 'Wait restore task finish' with the server's own reason, leaves nothing, and the name can be used again.
     */
    @Test
    @Order(7)
    void aRestoredServerThatCannotStartFailsTheRestoreWithItsErrorAndLeavesNothing() throws Exception {
        String dagId = api().body(body("rs1k", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(200)
                .extract().path("data.id");
        try (ServerSocket taken = new ServerSocket(tenants.get("rs1k").port(), 1, InetAddress.getLoopbackAddress())) {
            JsonPath dag = awaitDag(dagId);
            assertEquals("FAILED", dag.getString("state"), dag::prettify);
            assertEquals("Wait restore task finish", dag.getString("nodes[2].name"));
            assertEquals("FAILED", dag.getString("nodes[2].state"), dag::prettify);
            List<String> logs = dag.getList("nodes[2].sub_tasks[0].task_logs");
            assertTrue(logs.stream().anyMatch(line -> line.startsWith("ERROR: ")
                    && line.contains("mariadbd exited with code 1 before it accepted connections")
                    && line.contains("Can't start server: Bind on TCP/IP port")), logs::toString);
            assertTrue(logs.stream().anyMatch(line -> line.startsWith("Starting mariadbd on 127.0.0.1:"
                    + taken.getLocalPort())), logs::toString);
        }
        assertLeftNothingAndRestoresAgain("rs1k");
    }

    /**
     * The restored instance's first start begins its binlog with the backup's GTID state; an instance that already
     * has a binlog (a node run again after a crash) keeps that binlog's state, and the restore must still set the
     * backup's. Planted in the new tenant's binlog directory while 'Start restore' runs: the source's first binlog
     * and, as a clean shutdown saves it, a state that is not the backup's.
     */
    @Test
    @Order(7)
    void aRestoredInstanceThatFindsABinlogStillContinuesTheBackupsGtids() throws Exception {
        String dagId = api().body(body("rs1l", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(200)
                .extract().path("data.id");
        Path binlogDir = config.dataDir().resolve("rs1l").resolve("binlog");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.isDirectory(binlogDir)) {
            assertTrue(System.nanoTime() < deadline, "'Start restore' never created " + binlogDir);
            sleep(1);
        }
        Path planted = binlogDir.resolve("mysql-bin.000001");
        Files.copy(config.dataDir().resolve(SOURCE).resolve("binlog").resolve("mysql-bin.000001"), planted);
        Path index = Files.writeString(binlogDir.resolve("mysql-bin.index"), planted + "\n");
        Path state = Files.writeString(binlogDir.resolve("mysql-bin.state"), "0-1001-1\n");
        for (Path file : List.of(planted, index, state)) {
            Files.setOwner(file, Files.getOwner(binlogDir));
        }
        JsonPath dag = awaitSucceeded(dagId);
        restoredTenants.add("rs1l");
        List<String> waitLogs = dag.getList("nodes[2].sub_tasks[0].task_logs");
        assertTrue(waitLogs.stream().anyMatch(line -> line.contains("its binlog did not begin with the backup's GTID")),
                waitLogs::toString);
        assertRestored("rs1l", atLastBackup, countAtLastBackup);
        int restoredPort = api().get("/api/v1/tenant/rs1l").then().statusCode(200).extract().path("data.connection.port");
        assertNextTransactionContinuesTheSourcesGtids(restoredPort, 999998);
    }

    @Test
    @Order(7)
    void cancellingARestoreWithoutARestoreDagRunsObshellsCancelDag() throws Exception {
        tenants.reserveForRestore("rs1z", Map.of());
        JsonPath dag = awaitSucceeded(api().delete("/api/v1/tenant/rs1z/restore").then().statusCode(200)
                .body("data.name", equalTo("Cancel restore rs1z")).extract().path("data.id"));
        assertEquals(List.of("Cancel restore", "Drop resource pool"), dag.getList("nodes.name"));
        badRequest().get("/api/v1/tenant/rs1z").then().statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertFalse(Files.exists(config.dataDir().resolve("rs1z")));
        api().delete("/api/v1/tenant/rs1z/restore").then().statusCode(204);
    }

    @Test
    @Order(8)
    void windowsRunFromTheFirstBackupThroughTheArchiveAndSayWhyTheyEnd() throws Exception {
        JsonPath windows = api().queryParam("data_backup_uri", dataUri()).queryParam("archive_log_uri", archiveUri())
                .get("/api/v1/restore/windows").then().statusCode(200).extract().jsonPath().setRootPath("data");
        assertEquals(1, windows.getList("restore_windows").size(), windows::prettify);
        assertTrue(windows.getList("gaps").isEmpty(), windows::prettify);
        Instant end = Instant.parse(windows.getString("restore_windows[0].end_time"));
        assertTrue(end.isAfter(Instant.now().minusSeconds(120)), windows::prettify);

        JsonPath withoutArchive = api().body(Map.of("data_backup_uri", dataUri())).get("/api/v1/restore/windows")
                .then().statusCode(200).extract().jsonPath().setRootPath("data");
        assertEquals(3, withoutArchive.getList("restore_windows").size(), withoutArchive::prettify);
        assertEquals(2, withoutArchive.getList("gaps").size(), withoutArchive::prettify);
        assertTrue(withoutArchive.getString("gaps[0].reason").contains("there is no archived binlog"),
                withoutArchive::prettify);
        badRequest().get("/api/v1/restore/windows").then().statusCode(400)
                .body("error.errCode", equalTo("Common.IllegalArgument"));
    }

    @Test
    @Order(9)
    void newestPointWithTheArchiveHasEveryArchivedChange() throws Exception {
        write();
        sql("DELETE FROM shop.items WHERE id BETWEEN 6000 AND 6500");
        write();
        awaitArchived();
        Map<String, Long> finalState = sourceChecksums();
        long finalCount = count(port, ROOT_PASSWORD);
        long finalSeq = gtidSeqNo();
        JsonPath dag = restore(Map.of("data_backup_uri", dataUri(), "archive_log_uri", archiveUri(),
                "restore_tenant_name", "rs1n", "decryption", List.of(INC_PASSWORD)), "rs1n");
        assertRestored("rs1n", finalState, finalCount);
        JsonPath overview = api().get("/api/v1/tenant/rs1n/restore/overview").then().statusCode(200)
                .extract().jsonPath().setRootPath("data");
        assertEquals(finalSeq, overview.getLong("restore_scn"), overview::prettify);
        assertTrue(overview.getLong("restore_scn") > seqAtLastBackup, overview::prettify);
        assertTrue(overview.getString("restore_scn_display").contains("GTID seq_no " + finalSeq), overview::prettify);
        assertTrue(overview.getString("description").contains("plus the archived binlog of " + archiveUri()),
                overview::prettify);
        List<String> waitLogs = dag.getList("nodes[2].sub_tasks[0].task_logs");
        assertTrue(waitLogs.stream().anyMatch(line -> line.startsWith("Replaying")), waitLogs::toString);
    }

    @Test
    @Order(10)
    void anIdleTenantIsRestorableUpToTheArchiveCheckpoint() throws Exception {
        awaitArchived();
        backup("{\"mode\":\"full\"}");
        Map<String, Long> idleState = sourceChecksums();
        long idleCount = count(port, ROOT_PASSWORD);
        Instant setPoint = newestSetPoint();
        sleep(8000);
        JsonPath windows = api().queryParam("data_backup_uri", dataUri()).queryParam("archive_log_uri", archiveUri())
                .get("/api/v1/restore/windows").then().statusCode(200).extract().jsonPath().setRootPath("data");
        assertEquals(1, windows.getList("restore_windows").size(), windows::prettify);
        assertTrue(windows.getList("gaps").isEmpty(), windows::prettify);
        Instant end = Instant.parse(windows.getString("restore_windows[0].end_time"));
        assertTrue(end.isAfter(setPoint.plusSeconds(4)), "the window runs to the archive checkpoint, past the set at "
                + setPoint + ": " + windows.prettify());
        restore(Map.of("data_backup_uri", dataUri(), "archive_log_uri", archiveUri(), "restore_tenant_name", "rs1i",
                "timestamp", setPoint.plusSeconds(3).toString()), "rs1i");
        assertRestored("rs1i", idleState, idleCount);
    }

    @Test
    @Order(11)
    void aRequestShapedLikeTheGoSdksRestoresAnEncryptedFullAndIncremental() throws Exception {
        backup("{\"mode\":\"full\",\"encryption\":\"" + GO_FULL_PASSWORD + "\"}");
        write();
        sql("DELETE FROM shop.items WHERE id BETWEEN 7000 AND 7100");
        backup("{\"mode\":\"incremental\",\"encryption\":\"" + GO_INC_PASSWORD + "\"}");
        Map<String, Long> atGoBackup = sourceChecksums();
        long countAtGoBackup = count(port, ROOT_PASSWORD);
        // a password that opens the full but not the incremental: the request names the set it cannot open
        int unfinished = TenantApiClient.unfinishedDagCount();
        badRequest().body(body("rs1g", List.of(GO_FULL_PASSWORD))).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Decryption.Failed"))
                .body("error.message", matchesPattern("Backup set \\d+ \\(\\S+_inc\\) is encrypted and none of the 1 "
                        + "decryption password\\(s\\) opens it"));
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
        // obshell-sdk-go services/v1/restore.go RestoreApiParam as encoding/json writes it: every pointer field,
        // explicit null when unset, zone replica_type "" when unset
        String goBody = "{\"data_backup_uri\":\"" + dataUri() + "\",\"archive_log_uri\":null,"
                + "\"restore_tenant_name\":\"rs1g\",\"timestamp\":null,\"scn\":null,\"zone_list\":[{\"name\":"
                + "\"zone1\",\"unit_config_name\":\"unit1\",\"unit_num\":1,\"replica_type\":\"\"}],"
                + "\"primary_zone\":null,\"concurrency\":null,\"ha_high_thread_score\":null,"
                + "\"full_backup_decryption\":\"" + GO_FULL_PASSWORD + "\",\"inc_backup_decryption\":\""
                + GO_INC_PASSWORD + "\",\"kms_encrypt_info\":null}";
        JsonPath dag = restore(goBody, "rs1g");
        assertTrue(dag.prettify().indexOf(GO_FULL_PASSWORD) < 0 && dag.prettify().indexOf(GO_INC_PASSWORD) < 0,
                "no password in the DAG");
        assertRestored("rs1g", atGoBackup, countAtGoBackup);
        assertEquals(2, api().get("/api/v1/tenant/rs1g/restore/overview").then().statusCode(200)
                .extract().jsonPath().getString("data.backup_set_list").split(",").length);
    }

    @Test
    @Order(12)
    void theRequestsConcurrencyIsTheParallelismOfExtractionAndMoveBack() throws Exception {
        backup("{\"mode\":\"full\"}");
        Map<String, Long> atFull = sourceChecksums();
        long countAtFull = count(port, ROOT_PASSWORD);
        int concurrency = Runtime.getRuntime().availableProcessors() + 1;
        JsonPath dag = restore(Map.of("data_backup_uri", dataUri(), "restore_tenant_name", "rs1p",
                "concurrency", concurrency), "rs1p");
        assertParallelism(dag, concurrency);
        assertRestored("rs1p", atFull, countAtFull);
    }

    @Test
    @Order(99)
    void dropTheTenants() throws Exception {
        for (String name : restoredTenants) {
            dropTenant(name);
        }
        dropTenant(SOURCE);
        TestTenant.deleteTree(destinations);
    }

    private JsonPath restore(Object body, String tenant) {
        String dagId = api().body(body).post(RESTORE).then().statusCode(200)
                .body("data.name", equalTo("Restore backup_" + tenant)).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        restoredTenants.add(tenant);
        return dag;
    }

    /**
     * 'Start restore' extracted every set of the chain in the service and ran the move-back with
     * {@code --parallel=<parallel>}, as its log says.
     */
    private static void assertParallelism(JsonPath dag, int parallel) {
        List<String> lines = dag.getList("nodes[1].sub_tasks[0].task_logs");
        List<String> moveBacks = lines.stream().filter(line -> line.startsWith("Running ")
                && line.contains(" --move-back ")).toList();
        assertEquals(1, moveBacks.size(), lines::toString);
        assertTrue(moveBacks.get(0).contains(" --parallel=" + parallel + " "), moveBacks.get(0));
        long extracting = lines.stream().filter(line -> line.startsWith("Extracting backup set ")).count();
        assertTrue(extracting > 0, lines::toString);
        assertEquals(extracting, lines.stream().filter(line -> line.matches("Extracted \\d+ files, \\d+ bytes, in [0-9.]+ s")).count(),
                lines::toString);
    }

    /** As the Python SDK's wait_dag_succeed: the DAG must end SUCCEED. */
    private static JsonPath awaitSucceeded(String dagId) {
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return dag;
    }

    /** The consistent point of the newest backup set in the data destination. */
    private Instant newestSetPoint() throws Exception {
        try (Stream<Path> sets = Files.list(destinations.resolve("data"))) {
            Path newest = sets.filter(dir -> dir.getFileName().toString().startsWith("backup_set_"))
                    .max(java.util.Comparator.comparingLong(dir -> Long.parseLong(dir.getFileName().toString()
                            .split("_")[2]))).orElseThrow();
            return Instant.parse(new ObjectMapper().readTree(newest.resolve("manifest.json").toFile())
                    .path("end_time").asText());
        }
    }

    /** A row written to the restored tenant (id {@code id}) gets the GTID after the last backup's. */
    private void assertNextTransactionContinuesTheSourcesGtids(int restoredPort, int id) throws Exception {
        try (Connection connection = connectAsRoot(restoredPort, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO shop.items VALUES (" + id + ", 1, 'written after the restore')");
            try (ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
                row.next();
                assertEquals(seqAtLastBackup + 1, Gtids.seqNo(row.getString(1)),
                        "the restored tenant's next transaction continues the source's GTID sequence: "
                                + row.getString(1));
            }
        }
    }

    /** A failed or cancelled restore left no tenant, home, staging or process, and the name restores again. */
    private void assertLeftNothingAndRestoresAgain(String tenant) throws Exception {
        badRequest().get("/api/v1/tenant/" + tenant).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertFalse(Files.exists(config.dataDir().resolve(tenant)));
        assertFalse(Files.exists(config.dataDir().resolve(".restore").resolve(tenant)));
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(tenant)));
        restore(body(tenant, List.of(INC_PASSWORD)), tenant);
        assertRestored(tenant, atLastBackup, countAtLastBackup);
    }

    private void assertRestored(String tenant, Map<String, Long> checksums, long rows) throws Exception {
        int restoredPort = api().get("/api/v1/tenant/" + tenant).then().statusCode(200)
                .extract().path("data.connection.port");
        try (Connection connection = connectAsRoot(restoredPort, ROOT_PASSWORD)) {
            assertEquals(checksums, TableChecksums.of(connection), tenant);
        }
        assertEquals(rows, count(restoredPort, ROOT_PASSWORD), tenant);
    }

    private Map<String, Object> body(String tenant, List<String> passwords) {
        return Map.of("data_backup_uri", dataUri(), "restore_tenant_name", tenant, "decryption", passwords,
                "zone_list", List.of(Map.of("name", "zone1", "unit_config_name", "unit1", "unit_num", 1)));
    }

    private String dataUri() {
        return "file://" + destinations.resolve("data");
    }

    private String archiveUri() {
        return "file://" + destinations.resolve("archive");
    }

    private void backup(String body) {
        JsonPath dag = awaitDag(api().body(body).post("/api/v1/tenant/" + SOURCE + "/backup").then().statusCode(200)
                .extract().path("data.id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
    }

    private void write() throws Exception {
        for (int i = 0; i < 3; i++) {
            int id = nextId++;
            sql("INSERT INTO shop.items VALUES (" + id + ", " + i + ", 'written-" + id + "')");
        }
        sql("UPDATE shop.items SET qty = qty + 1 WHERE id % 13 = " + (nextId % 13));
    }

    private void awaitArchived() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
        }
    }

    private long gtidSeqNo() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            return Gtids.seqNo(row.getString(1));
        }
    }

    private void awaitNodeRunning(String dagId, int node) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath dag = api().get("/api/v1/task/dag/" + dagId + "?show_details=true").then().statusCode(200)
                    .extract().jsonPath().setRootPath("data");
            if ("RUNNING".equals(dag.getString("nodes[" + node + "].state"))) {
                return;
            }
            assertFalse(dag.getString("state").equals("SUCCEED") || dag.getString("state").equals("FAILED"),
                    "the restore ended before it was cancelled");
            sleep(50);
        }
        throw new AssertionError("node " + node + " of DAG " + dagId + " never ran");
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    private Map<String, Long> sourceChecksums() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            return TableChecksums.of(connection);
        }
    }

    private static long count(int port, String password) throws Exception {
        try (Connection connection = connectAsRoot(port, password); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT COUNT(*) FROM shop.items")) {
            row.next();
            return row.getLong(1);
        }
    }
}
