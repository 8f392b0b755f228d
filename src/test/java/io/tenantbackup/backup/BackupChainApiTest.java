package io.tenantbackup.backup;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.SetLayout;
import io.tenantbackup.testing.RestoreCheck;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TableChecksums;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's data path end to end over HTTP on a tenant made through the API: full → incremental → incremental, each
 * restored in chain order through the read side; compression, password encryption (incl. a chain with a password per
 * set), plus_archive, cancel by PATCH and the privilege check.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupChainApiTest {

    private static final String TENANT = "pp1";
    private static final String ROOT_PASSWORD = "pp-root";
    private static final String MARKER = "pp-marker-7f3a9c-plaintext";
    private static final String INC_PASSWORD = "inc-pass-Ω-1";
    private static final String FULL_PASSWORD = "full-pass-2";

    @Inject
    ServiceConfig config;

    @Inject
    AgroalDataSource metadata;

    private Path destinations;
    private Path scratch;
    private int port;
    private final List<Path> chain = new ArrayList<>();
    private final List<Map<String, Long>> chainChecksums = new ArrayList<>();

    @BeforeEach
    void tenantWithData() throws Exception {
        if (port != 0) {
            return;
        }
        removeLeftovers(config.dataDir(), TENANT);
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-pp-dest");
        TestTenant.deleteTree(destinations);
        scratch = Files.createTempDirectory(Path.of("/tmp"), "pp-s");
        port = createTenant(TENANT, ROOT_PASSWORD).getInt("connection.port");
        sql("CREATE DATABASE shop",
                "USE shop",
                "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64)) ENGINE=InnoDB",
                "INSERT INTO shop.customers SELECT seq, CONCAT('customer-', seq) FROM seq_1_to_20000",
                "INSERT INTO shop.customers VALUES (0, '" + MARKER + "')",
                "CREATE TABLE shop.notes (id INT PRIMARY KEY, body VARCHAR(32)) ENGINE=Aria",
                "INSERT INTO shop.notes VALUES (1, 'non-InnoDB table')",
                // about 60 MB of very compressible rows, written without binlog
                "SET sql_log_bin = 0",
                "CREATE TABLE shop.events (id INT PRIMARY KEY, pad VARCHAR(255)) ENGINE=InnoDB",
                "INSERT INTO shop.events SELECT seq, REPEAT(MD5(seq % 1000), 7) FROM seq_1_to_250000");
        String dagId = api().body(Map.of("data_base_uri", uri("data"), "archive_base_uri", uri("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
    }

    @Test
    @Order(1)
    void incrementalWithoutACompletedSetAndCancelWithNothingRunningAreRefused() {
        int unfinished = TenantApiClient.unfinishedDagCount();
        badRequest().body("{\"mode\":\"INCREMENTAL\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.NoFullBackup"))
                .body("error.message", containsString("take a full backup first"));
        badRequest().body("{\"status\":\"paused\"}").patch("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.Status.Invalid"));
        badRequest().body("{\"status\":null}").patch("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.NoRunningBackup"))
                .body("error.message", containsString(TENANT));
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
    }

    @Test
    @Order(2)
    void fullIsCompressedAndItsManifestChecksumsTheStoredBytes() throws Exception {
        JsonPath overview = backup("{\"mode\":\"full\"}", "Obcluster start full backup for " + TENANT);
        Path setDir = setDir(overview);
        BackupSetManifest manifest = StoredSets.manifest(setDir);
        assertEquals("zstd", manifest.compression());
        assertFalse(manifest.encryption().encrypted());
        assertNull(manifest.parent());
        assertEquals(manifest.backupSetId(), manifest.chainRootBackupSetId());
        for (StoredArtifact.StoredFile file : manifest.files()) {
            Path stored = setDir.resolve(file.name());
            assertTrue(file.name().endsWith(".zst"), file.name());
            assertEquals(file.size(), Files.size(stored), stored.toString());
            assertEquals(file.sha256(), StoredSets.sha256(stored), stored.toString());
        }
        assertEquals("NONE", overview.getString("encryption_mode"));
        assertTrue(overview.getLong("output_bytes") * 4 < overview.getLong("input_bytes"),
                "compressible data must shrink well: " + overview.prettify());
        Path xbstream = StoredSets.decodeData(setDir, null, scratch.resolve("full.xbstream"));
        assertEquals(manifest.file(SetLayout.DATA).sourceSize(), Files.size(xbstream));
        assertTrue(contains(xbstream, MARKER), "the marker row is in the plain stream");
        keepInChain(xbstream);
    }

    @Test
    @Order(3)
    void incrementalsAreSmallNameTheirParentAndMayHaveTheirOwnPassword() throws Exception {
        long fullId = lastSetId();
        long fullBytes = api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().extract()
                .jsonPath().getLong("data.status.output_bytes");
        sql("UPDATE shop.customers SET name = CONCAT(name, '-v1') WHERE id BETWEEN 100 AND 300");
        JsonPath first = backup("{\"mode\":\"incremental\",\"encryption\":\"" + INC_PASSWORD + "\"}",
                "Obcluster start increment backup for " + TENANT);
        Path firstDir = setDir(first);
        assertEquals("backup_set_" + first.getLong("backup_set_id") + "_inc", firstDir.getFileName().toString());
        assertEquals("PASSWORD", first.getString("encryption_mode"));
        assertTrue(first.getLong("output_bytes") * 5 < fullBytes,
                "incremental " + first.getLong("output_bytes") + " vs full " + fullBytes);
        BackupSetManifest manifest = StoredSets.manifest(firstDir);
        assertEquals("INC", manifest.backupType());
        assertEquals(fullId, manifest.parent().backupSetId());
        assertEquals(StoredSets.manifest(firstDir.resolveSibling(manifest.parent().directory())).toLsn(),
                manifest.fromLsn(), "--incremental-lsn is the parent's to_lsn");
        assertEquals(fullId, manifest.chainRootBackupSetId());
        keepInChain(StoredSets.decodeData(firstDir, INC_PASSWORD, scratch.resolve("inc1.xbstream")));

        sql("USE shop", "INSERT INTO shop.customers SELECT seq, 'late' FROM seq_30001_to_30500",
                "DELETE FROM shop.customers WHERE id < 50");
        JsonPath second = backup("{\"mode\":\"incremental\"}", "Obcluster start increment backup for " + TENANT);
        BackupSetManifest secondManifest = StoredSets.manifest(setDir(second));
        assertEquals(first.getLong("backup_set_id"), secondManifest.parent().backupSetId());
        assertEquals(fullId, secondManifest.chainRootBackupSetId());
        keepInChain(StoredSets.decodeData(setDir(second), null, scratch.resolve("inc2.xbstream")));
        api().get("/api/v1/tenant/" + TENANT + "/backup/tasks?sort=start_timestamp,asc").then().statusCode(200)
                .body("data.contents.backup_type", equalTo(List.of("FULL", "INC", "INC")));
    }

    @Test
    @Order(4)
    void eachSetRestoredInChainOrderMatchesTheSourceAtItsPoint() throws Exception {
        assertEquals(3, chain.size());
        for (int length = 1; length <= chain.size(); length++) {
            assertEquals(chainChecksums.get(length - 1), RestoreCheck.restoredChecksums(chain.subList(0, length),
                    agentOptionFile()), "chain of " + length + " set(s)");
        }
    }

    @Test
    @Order(5)
    void encryptedSetHidesThePlaintextNeedsItsPasswordAndDetectsAFlippedByte() throws Exception {
        JsonPath overview = backup("{\"mode\":\"full\",\"encryption\":\"" + FULL_PASSWORD + "\"}",
                "Obcluster start full backup for " + TENANT);
        Path setDir = setDir(overview);
        BackupSetManifest manifest = StoredSets.manifest(setDir);
        StoredArtifact.StoredFile data = manifest.file(SetLayout.DATA);
        assertEquals("data.xbstream.zst.enc", data.name());
        assertFalse(contains(setDir.resolve(data.name()), MARKER), "no plaintext in the stored bytes");
        assertTrue(manifest.encryption().encrypted());
        assertEquals("argon2id", manifest.encryption().kdf().algorithm());
        String manifestText = Files.readString(setDir.resolve(SetLayout.MANIFEST));
        assertFalse(manifestText.contains(FULL_PASSWORD));
        assertNoPasswordAnywhere(overview);

        Path restored = scratch.resolve("encrypted.xbstream");
        WrongPasswordException wrong = assertThrows(WrongPasswordException.class,
                () -> StoredSets.decodeData(setDir, "not-the-password", restored));
        assertTrue(wrong.getMessage().contains("Wrong password for backup set " + manifest.backupSetId()),
                wrong.getMessage());
        assertFalse(Files.exists(restored), "nothing is written with a wrong password");
        assertEquals(chainChecksums.get(2), RestoreCheck.restoredChecksums(
                StoredSets.decodeData(setDir, FULL_PASSWORD, restored), agentOptionFile()));

        Path copy = scratch.resolve("flipped").resolve(setDir.getFileName());
        Files.createDirectories(copy);
        for (String name : List.of(SetLayout.MANIFEST, data.name())) {
            Files.copy(setDir.resolve(name), copy.resolve(name));
        }
        flipByte(copy.resolve(data.name()), data.size() / 3);
        CorruptArtifactException corrupt = assertThrows(CorruptArtifactException.class,
                () -> StoredSets.decodeData(copy, FULL_PASSWORD, scratch.resolve("flipped.xbstream")));
        assertTrue(corrupt.getMessage().contains(data.name()), corrupt.getMessage());
    }

    @Test
    @Order(6)
    void cancelByPatchStopsTheBackupAndLeavesNoSet() throws Exception {
        String dagId = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
        Path setDir = setDir(api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().extract()
                .jsonPath().setRootPath("data.status"));
        awaitFile(dagId, setDir.resolve("data.xbstream.zst.part"));
        api().body("{\"status\":\"CANCELED\"}").patch("/api/v1/tenant/" + TENANT + "/backup").then().statusCode(200);
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"));
        assertEquals("CANCEL", dag.getString("operator"));
        api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .body("data.status.status", equalTo("CANCELED"));
        assertFalse(Files.exists(setDir), "partial set left: " + setDir);
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                .contains("backup_set_" + setDir.getFileName().toString().split("_")[2])), "mariabackup still runs");
    }

    @Test
    @Order(7)
    void plusArchiveSetCarriesItsBinlogAndRestoresWithoutTheArchive() throws Exception {
        sql("USE shop", "UPDATE shop.customers SET name = 'with-binlog' WHERE id BETWEEN 1000 AND 1010");
        JsonPath overview = backup("{\"mode\":\"full\",\"plus_archive\":true}",
                "Obcluster start full backup for " + TENANT);
        Map<String, Long> source = sourceChecksums();
        Path setDir = setDir(overview);
        BackupSetManifest manifest = StoredSets.manifest(setDir);
        assertTrue(manifest.selfContained());
        BackupSetManifest.BinlogRange binlog = manifest.binlog();
        assertFalse(binlog.files().isEmpty());
        assertEquals(manifest.gtid(), binlog.endGtid());
        api().get("/api/v1/tenant/" + TENANT + "/backup/tasks?sort=start_timestamp,desc").then()
                .body("data.contents[0].plus_archivelog", equalTo("ON"));

        assertEquals("binlog/" + binlog.endFile(), binlog.files().get(binlog.files().size() - 1));
        StoredArtifact.StoredFile last = manifest.file("binlog/" + binlog.endFile());
        Path decoded = StoredSets.decode(setDir, null, last, scratch.resolve(binlog.endFile()));
        assertTrue(binlogHolds(decoded, "GTID " + binlog.endGtid()),
                "the stored binlog reaches the consistent point " + binlog.endGtid());

        TestTenant.deleteTree(destinations.resolve("archive"));
        assertEquals(source, RestoreCheck.restoredChecksums(
                StoredSets.decodeData(setDir, null, scratch.resolve("plus.xbstream")), agentOptionFile()));
    }

    @Test
    @Order(8)
    void missingBinlogMonitorFailsTheBackupAtOnceNamingIt() throws Exception {
        String user = "`tenant_backup_agent`@`%s`";
        try {
            for (String host : List.of("localhost", "127.0.0.1")) {
                sql("REVOKE BINLOG MONITOR ON *.* FROM " + String.format(user, host));
            }
            long started = System.nanoTime();
            JsonPath dag = awaitDag(api().body("{}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                    .statusCode(200).extract().path("data.id"));
            assertEquals("FAILED", dag.getString("state"));
            assertEquals("Start backup", dag.getString("nodes[2].name"));
            List<String> logs = dag.getList("nodes[2].sub_tasks[0].task_logs");
            String last = logs.get(logs.size() - 1);
            assertTrue(last.contains("lacks the global privilege(s) BINLOG MONITOR that"), last);
            assertTrue(logs.stream().noneMatch(line -> line.startsWith("Starting mariabackup")), logs::toString);
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 60);
        } finally {
            for (String host : List.of("localhost", "127.0.0.1")) {
                sql("GRANT ALL PRIVILEGES ON *.* TO " + String.format(user, host) + " WITH GRANT OPTION");
            }
        }
    }

    @Test
    @Order(99)
    void dropTheTenant() throws IOException {
        dropTenant(TENANT);
        TestTenant.deleteTree(destinations);
        TestTenant.deleteTree(scratch);
    }

    /** Starts a backup, waits for its DAG to SUCCEED, returns the overview's status block. */
    private JsonPath backup(String body, String dagName) {
        JsonPath created = api().body(body).post("/api/v1/tenant/" + TENANT + "/backup").then().statusCode(200)
                .body("data.name", equalTo(dagName)).extract().jsonPath().setRootPath("data");
        JsonPath dag = awaitDag(created.getString("id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200)
                .body("data.status.status", equalTo("COMPLETED"))
                .extract().jsonPath().setRootPath("data.status");
    }

    private void keepInChain(Path xbstream) throws Exception {
        chain.add(xbstream);
        chainChecksums.add(sourceChecksums());
    }

    /** The password must not reach the API's DAG views, the overview or any persisted DAG column. */
    private void assertNoPasswordAnywhere(JsonPath overview) throws Exception {
        assertFalse(overview.prettify().contains(FULL_PASSWORD));
        String dags = api().get("/api/v1/task/dag/unfinish?show_details=true").then().extract().asString();
        assertFalse(dags.contains(FULL_PASSWORD));
        try (Connection connection = metadata.getConnection(); Statement sql = connection.createStatement()) {
            for (String query : List.of("SELECT COUNT(*) FROM dag WHERE params LIKE ? ",
                    "SELECT COUNT(*) FROM dag WHERE outputs LIKE ?",
                    "SELECT COUNT(*) FROM sub_task WHERE additional_data LIKE ?",
                    "SELECT COUNT(*) FROM task_log WHERE log_content LIKE ?",
                    "SELECT COUNT(*) FROM backup_set WHERE CONCAT_WS(' ', comment, path, gtid) LIKE ?")) {
                try (var statement = connection.prepareStatement(query)) {
                    statement.setString(1, "%" + FULL_PASSWORD + "%");
                    try (ResultSet count = statement.executeQuery()) {
                        count.next();
                        assertEquals(0, count.getInt(1), query);
                    }
                }
            }
            try (ResultSet handedOn = sql.executeQuery("SELECT COUNT(*) FROM dag WHERE outputs LIKE '%argon2id%'")) {
                handedOn.next();
                assertTrue(handedOn.getInt(1) > 0, "the encrypted set's KDF parameters are among the DAG outputs");
            }
        }
    }

    /** Waits until mariabackup's first compressed bytes are stored. */
    private void awaitFile(String dagId, Path file) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!(Files.exists(file) && file.toFile().length() > 0)) {
            assertTrue(System.nanoTime() < deadline, "the backup never stored " + file);
            String state = api().get("/api/v1/task/dag/" + dagId + "?show_details=false").then()
                    .extract().path("data.state");
            assertFalse(state.equals("SUCCEED") || state.equals("FAILED"), "the backup ended before it was cancelled");
            sleep(5);
        }
    }

    private long lastSetId() {
        return api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().extract().jsonPath()
                .getLong("data.status.backup_set_id");
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

    private Path agentOptionFile() {
        return config.dataDir().resolve(TENANT).resolve("agent.cnf");
    }

    private String uri(String leaf) {
        return "file://" + destinations.resolve(leaf);
    }

    private static Path setDir(JsonPath overview) {
        return Path.of(overview.getString("path").substring("file://".length()));
    }

    private static boolean binlogHolds(Path binlog, String text) throws Exception {
        List<String> lines = new ArrayList<>();
        ExternalCommand.of("mariadb-binlog", "--no-defaults", binlog.toString()).outputLines(lines::add)
                .timeout(Duration.ofMinutes(1)).runChecked();
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** Whether {@code text} occurs in the file (read in overlapping windows). */
    private static boolean contains(Path file, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] window = new byte[(1 << 20) + needle.length];
        try (InputStream in = Files.newInputStream(file)) {
            int kept = 0;
            int read;
            while ((read = in.readNBytes(window, kept, window.length - kept)) > 0) {
                int filled = kept + read;
                if (new String(window, 0, filled, StandardCharsets.ISO_8859_1).contains(text)) {
                    return true;
                }
                kept = Math.min(needle.length - 1, filled);
                System.arraycopy(window, filled - kept, window, 0, kept);
            }
        }
        return false;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x40);
        }
    }
}
