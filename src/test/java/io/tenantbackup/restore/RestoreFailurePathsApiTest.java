package io.tenantbackup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.api.BackupApiClient;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TableChecksums;
import io.tenantbackup.testing.TestTenant;
import io.tenantbackup.testing.WrittenBytesFaultInjector;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

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
 * Issue 17 item 3, the failure paths a user meets through the API on one real tenant and its real backups: a byte
 * corrupted between write and verification (a fault injector) fails the backup without a manifest; incrementals
 * taken after a failed and after a cancelled set chain to the last completed set; a missing intermediate
 * incremental, a corrupt manifest and an archive gap inside the requested range are each a 400 naming what is wrong,
 * before any DAG or directory exists. Item 5: the restore overview a user watches moves through extraction, prepare
 * and binlog replay, and names the source tenant.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreFailurePathsApiTest {

    private static final String SOURCE = "rf1";
    private static final String RESTORED = "rfp";
    private static final String REFUSED = "rfx";
    private static final String ROOT_PASSWORD = "rf1-root";
    private static final String RESTORE = "/api/v1/tenant/restore";
    /** Single-row transactions after the chain: a replay long enough to be watched. */
    private static final int ARCHIVED_TRANSACTIONS = 3000;

    @Inject
    ServiceConfig config;

    private final ObjectMapper json = new ObjectMapper();

    private Path destinations;
    private int port;
    private long sourceTenantId;
    private long fullId;
    private long afterFailedId;
    private long afterCancelledId;
    /** A second inside the archive after the chain's end, and the source's tables then. */
    private Instant inTheArchive;
    private Map<String, Long> atThePoint;

    @BeforeEach
    void sourceWithAFullBackup() throws Exception {
        if (fullId != 0) {
            return;
        }
        for (String name : List.of(SOURCE, RESTORED, REFUSED)) {
            removeLeftovers(config.dataDir(), name);
        }
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-rf-dest");
        TestTenant.deleteTree(destinations);
        JsonPath tenant = createTenant(SOURCE, ROOT_PASSWORD);
        port = tenant.getInt("connection.port");
        sourceTenantId = tenant.getLong("tenant_id");
        sql("CREATE DATABASE shop", "USE shop",
                "CREATE TABLE shop.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL, pad VARCHAR(255))"
                        + " ENGINE=InnoDB",
                "INSERT INTO shop.accounts SELECT seq, 1000, CONCAT(SHA2(seq, 512), SHA2(seq + 1, 256))"
                        + " FROM seq_1_to_200000");
        BackupApiClient.configureBackup(SOURCE, destinations, "1s");
        BackupApiClient.fullBackup(SOURCE);
        fullId = newestSet().backupSetId();
    }

    /**
     * "Wait backup Finish" proves every file is stored whole (there, with the size written) before the manifest; a
     * byte changed in place after the write is left to verification and restores, which check the SHA-256
     * (VerifyApiTest, BackupSetReaderTest).
     */
    @Test
    @Order(1)
    void aFileDamagedBetweenWriteAndVerificationFailsTheBackupAndLeavesNoManifest() throws Exception {
        String dagId = startFullBackup();
        Path setDir = runningSet();
        WrittenBytesFaultInjector.strayByteOnceWritten(setDir.resolve("data.xbstream.zst.part"), 1L << 30,
                Duration.ofMinutes(2));

        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        assertEquals("Wait backup Finish", dag.getString("nodes[3].name"));
        assertEquals("FAILED", dag.getString("nodes[3].state"), dag::prettify);
        List<String> logs = dag.getList("nodes[3].sub_tasks[0].task_logs");
        assertTrue(logs.get(logs.size() - 1).contains(setDir.getFileName() + "/data.xbstream.zst is "
                + ((1L << 30) + 1) + " bytes, expected "), logs::toString);
        assertFalse(Files.exists(setDir.resolve("manifest.json")), "a corrupt set must not be completed");
        api().get("/api/v1/tenant/" + SOURCE + "/backup/overview").then()
                .body("data.status.status", equalTo("FAILED"));
    }

    @Test
    @Order(2)
    void anIncrementalAfterAFailedSetChainsToTheLastCompletedSet() throws Exception {
        afterFailedId = incrementalChainingTo(fullId, "UPDATE shop.accounts SET balance = balance - 1"
                + " WHERE id % 100 = 1");
    }

    @Test
    @Order(3)
    void anIncrementalAfterACancelledSetChainsToTheLastCompletedSet() throws Exception {
        String dagId = startFullBackup();
        awaitStreaming(runningSet().resolve("data.xbstream.zst.part"));
        api().body("{\"status\":\"CANCELED\"}").patch("/api/v1/tenant/" + SOURCE + "/backup").then().statusCode(200);
        assertEquals("CANCEL", awaitDag(dagId).getString("operator"));
        afterCancelledId = incrementalChainingTo(afterFailedId, "UPDATE shop.accounts SET balance = balance + 1"
                + " WHERE id % 100 = 2");
    }

    @Test
    @Order(4)
    void aMissingIntermediateIncrementalIsRefusedNamingIt() throws Exception {
        Path data = copy("data", "data-missing");
        TestTenant.deleteTree(data.resolve(setDirectory(afterFailedId)));
        assertRefused(Map.of("data_backup_uri", "file://" + data, "restore_tenant_name", REFUSED),
                "OB.Restore.BackupSet.Unreadable", "Backup set " + afterCancelledId + " is an incremental of backup set "
                        + afterFailedId + " (" + setDirectory(afterFailedId) + "), which has no manifest");
    }

    @Test
    @Order(5)
    void aCorruptManifestIsRefusedNamingIt() throws Exception {
        Path data = copy("data", "data-corrupt");
        Path manifest = data.resolve(setDirectory(afterFailedId)).resolve("manifest.json");
        byte[] bytes = Files.readAllBytes(manifest);
        Files.write(manifest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(Map.of("data_backup_uri", "file://" + data, "restore_tenant_name", REFUSED),
                "OB.Restore.BackupSet.Unreadable", "file://" + manifest);
    }

    @Test
    @Order(6)
    void anArchiveGapInsideTheRequestedRangeIsRefusedNamingTheGap() throws Exception {
        archiveAfterTheChain();
        long chainEnd = Gtids.seqNo(newestSet().gtid());
        Path archive = copy("archive", "archive-gap");
        Path pieceManifest = null;
        ObjectNode piece = null;
        int lost = -1;
        try (var manifests = Files.walk(archive)) {
            for (Path manifest : manifests.filter(path -> path.getFileName().toString().equals("manifest.json"))
                    .sorted().toList()) {
                piece = (ObjectNode) json.readTree(manifest.toFile());
                pieceManifest = manifest;
                lost = firstAfter(chainEnd, (ArrayNode) piece.path("files"));
                if (lost >= 0) {
                    break;
                }
            }
        }
        assertTrue(lost >= 0, "no archived file with transactions after the chain, followed by another, in " + archive);
        ArrayNode files = (ArrayNode) piece.path("files");
        JsonNode lostFile = files.get(lost);
        JsonNode before = lost == 0 ? null : files.get(lost - 1);
        Map<String, Object> body = Map.of("data_backup_uri", uri("data"), "archive_log_uri", "file://" + archive,
                "restore_tenant_name", REFUSED, "timestamp", inTheArchive.toString());

        Path stored = pieceManifest.resolveSibling(lostFile.path("stored_name").asText());
        Files.delete(stored);
        assertRefused(body, "OB.Restore.Point.NotRestorable", "gap in the archived binlog: file://" + stored
                + " (GTID seq_no " + Gtids.seqNo(lostFile.path("start_gtid_pos").asText()) + " to "
                + Gtids.seqNo(lostFile.path("end_gtid_pos").asText()) + ") is listed in its piece manifest but missing");

        files.remove(lost);
        Files.write(pieceManifest, json.writeValueAsBytes(piece));
        JsonNode next = files.get(lost);
        long nextStart = Gtids.seqNo(next.path("start_gtid_pos").asText());
        long beforeEnd = before == null ? 0 : Gtids.seqNo(before.path("end_gtid_pos").asText());
        assertRefused(body, "OB.Restore.Point.NotRestorable", beforeEnd > chainEnd
                ? "gap in the archived binlog: " + before.path("name").asText() + " ends at GTID seq_no " + beforeEnd
                + " but the next archived file " + next.path("name").asText() + " starts at " + nextStart
                : "the archived binlog resumes at GTID seq_no " + nextStart + " (" + next.path("name").asText() + ")");
    }

    /** The first file holding transactions after {@code chainEnd} that another file follows, -1 if none. */
    private static int firstAfter(long chainEnd, ArrayNode files) {
        return IntStream.range(0, files.size() - 1).filter(index -> {
            long start = Gtids.seqNo(files.get(index).path("start_gtid_pos").asText());
            long end = Gtids.seqNo(files.get(index).path("end_gtid_pos").asText());
            return end > chainEnd && end > start && start >= chainEnd;
        }).findFirst().orElse(-1);
    }

    @Test
    @Order(7)
    void theOverviewAUserWatchesMovesThroughExtractionPrepareAndReplay() throws Exception {
        archiveAfterTheChain();
        long chainEnd = Gtids.seqNo(newestSet().gtid());
        String dagId = api().body(Map.of("data_backup_uri", uri("data"), "archive_log_uri", uri("archive"),
                        "restore_tenant_name", RESTORED, "timestamp", inTheArchive.toString())).post(RESTORE)
                .then().statusCode(200).extract().path("data.id");
        List<JsonPath> seen = watchOverview(dagId);

        JsonPath last = seen.get(seen.size() - 1);
        assertEquals("SUCCESS", last.getString("status"), last::prettify);
        assertEquals("100%", last.getString("recover_progress"));
        assertEquals(sourceTenantId, last.getLong("backup_tenant_id"));
        assertEquals(SOURCE, last.getString("backup_tenant_name"));
        int previous = 0;
        for (JsonPath sample : seen) {
            int percent = percent(sample);
            assertTrue(percent >= previous, () -> "recover_progress went back: " + progressOf(seen));
            previous = percent;
        }
        long total = last.getLong("total_bytes");
        assertTrue(seen.stream().anyMatch(sample -> percent(sample) > 0 && percent(sample) < 50
                        && sample.getLong("finish_bytes") > 0 && sample.getLong("finish_bytes") < total),
                () -> "no sample during the extraction: " + progressOf(seen));
        assertTrue(seen.stream().anyMatch(sample -> percent(sample) >= 50 && percent(sample) <= 70),
                () -> "no sample during the prepare: " + progressOf(seen));
        long recovered = last.getLong("recover_scn");
        assertTrue(seen.stream().anyMatch(sample -> percent(sample) > 70 && percent(sample) < 100
                        && sample.getLong("recover_scn") > chainEnd && sample.getLong("recover_scn") < recovered),
                () -> "no sample during the replay from " + chainEnd + " to " + recovered + ": " + progressOf(seen));
        int restoredPort = api().get("/api/v1/tenant/" + RESTORED).then().statusCode(200)
                .extract().path("data.connection.port");
        try (Connection connection = connectAsRoot(restoredPort, ROOT_PASSWORD)) {
            assertEquals(atThePoint, TableChecksums.of(connection));
        }
    }

    @Test
    @Order(99)
    void dropTheTenants() throws Exception {
        for (String name : List.of(RESTORED, SOURCE)) {
            if (api().get("/api/v1/tenant/" + name).statusCode() == 200) {
                dropTenant(name);
            }
        }
        TestTenant.deleteTree(destinations);
    }

    /** Polls the overview as a user would, every 20 ms, until the DAG ends; returns every answer (data). */
    private List<JsonPath> watchOverview(String dagId) {
        List<JsonPath> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            assertTrue(System.nanoTime() < deadline, "the restore did not end within 5 minutes");
            String state = api().get("/api/v1/task/dag/" + dagId).then().statusCode(200).extract().path("data.state");
            var overview = api().get("/api/v1/tenant/" + RESTORED + "/restore/overview");
            if (overview.statusCode() == 200) {
                seen.add(overview.then().extract().jsonPath().setRootPath("data"));
            }
            if (state.equals("SUCCEED") || state.equals("FAILED")) {
                JsonPath dag = awaitDag(dagId);
                assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
                seen.add(api().get("/api/v1/tenant/" + RESTORED + "/restore/overview").then().statusCode(200)
                        .extract().jsonPath().setRootPath("data"));
                return seen;
            }
            sleep(20);
        }
    }

    /**
     * Once: a few transactions, then {@link #ARCHIVED_TRANSACTIONS} single-row ones, a quiet second that is the
     * point, and more writes; each batch in its own archived file (and piece).
     */
    private void archiveAfterTheChain() throws Exception {
        if (inTheArchive != null) {
            return;
        }
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("UPDATE shop.accounts SET balance = balance + 5 WHERE id % 100 = 3");
            ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
            sql.execute("CREATE TABLE shop.ledger (id INT PRIMARY KEY, amount INT) ENGINE=InnoDB");
            for (int id = 1; id <= ARCHIVED_TRANSACTIONS; id++) {
                sql.execute("INSERT INTO shop.ledger VALUES (" + id + ", " + id % 7 + ")");
            }
            ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
            sleep(1100);
            inTheArchive = Instant.now();
            atThePoint = TableChecksums.of(connection);
            sleep(1100);
            sql.execute("INSERT INTO shop.ledger VALUES (" + (ARCHIVED_TRANSACTIONS + 1) + ", 0)");
            ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
        }
    }

    private static void awaitStreaming(Path part) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!(Files.exists(part) && Files.size(part) > 0)) {
            assertTrue(System.nanoTime() < deadline, "the backup never started streaming " + part);
            sleep(5);
        }
    }

    private void assertRefused(Map<String, Object> body, String errCode, String named) {
        int unfinished = TenantApiClient.unfinishedDagCount();
        badRequest().body(body).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo(errCode))
                .body("error.message", containsString(named));
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
        api().get("/api/v1/tenant/" + REFUSED).then().statusCode(400);
        assertFalse(Files.exists(config.dataDir().resolve(REFUSED)));
        assertFalse(Files.exists(config.dataDir().resolve(".restore").resolve(REFUSED)));
    }

    private static String startFullBackup() {
        return api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + SOURCE + "/backup").then()
                .statusCode(200).extract().path("data.id");
    }

    /** The directory of the set the running backup writes, as the backup overview gives it. */
    private static Path runningSet() {
        return Path.of(api().get("/api/v1/tenant/" + SOURCE + "/backup/overview").then().statusCode(200)
                .extract().<String>path("data.status.path").substring("file://".length()));
    }

    /** Changes the source with {@code change}, takes an incremental, checks it chains to {@code parentId}; its id. */
    private long incrementalChainingTo(long parentId, String change) throws Exception {
        sql(change);
        BackupApiClient.backup(SOURCE, "{\"mode\":\"incremental\"}");
        BackupSetManifest incremental = newestSet();
        assertChainsTo(incremental, parentId);
        return incremental.backupSetId();
    }

    private void assertChainsTo(BackupSetManifest incremental, long parentId) throws Exception {
        assertEquals("INC", incremental.backupType());
        assertEquals(parentId, incremental.parent().backupSetId(), "the parent of " + incremental.backupSetId());
        assertEquals(setDirectory(parentId), incremental.parent().directory());
        assertEquals(StoredSets.manifest(destinations.resolve("data").resolve(setDirectory(parentId))).toLsn(),
                incremental.fromLsn(), "the incremental starts at its parent's to_lsn");
    }

    private BackupSetManifest newestSet() throws Exception {
        try (var sets = Files.list(destinations.resolve("data"))) {
            Path newest = sets.filter(dir -> Files.exists(dir.resolve("manifest.json")))
                    .max(java.util.Comparator.comparingLong(dir -> Long.parseLong(dir.getFileName().toString()
                            .split("_")[2]))).orElseThrow();
            return StoredSets.manifest(newest);
        }
    }

    private String setDirectory(long backupSetId) throws Exception {
        try (var sets = Files.list(destinations.resolve("data"))) {
            return sets.map(dir -> dir.getFileName().toString())
                    .filter(name -> name.startsWith("backup_set_" + backupSetId + "_")).findFirst().orElseThrow();
        }
    }

    private Path copy(String what, String as) throws Exception {
        Path copy = destinations.resolve(as);
        TestTenant.deleteTree(copy);
        Process cp = new ProcessBuilder("cp", "-a", destinations.resolve(what).toString(), copy.toString())
                .inheritIO().start();
        assertEquals(0, cp.waitFor());
        return copy;
    }

    private String uri(String what) {
        return "file://" + destinations.resolve(what);
    }

    private static int percent(JsonPath overview) {
        String value = overview.getString("recover_progress");
        return Integer.parseInt(value.substring(0, value.length() - 1));
    }

    private static String progressOf(List<JsonPath> seen) {
        return seen.stream().map(sample -> sample.getString("recover_progress") + "/" + sample.getLong("finish_bytes")
                + "/" + sample.getLong("recover_scn")).toList().toString();
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }
}
