package io.tenantbackup.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.error.ServiceException;
import io.tenantbackup.task.DagDetail;
import io.tenantbackup.task.DagSubmitter;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.task.TaskQueries;
import io.tenantbackup.task.TaskState;
import io.tenantbackup.testing.InlineDagRunner;
import io.tenantbackup.testing.RestoreCheck;
import io.tenantbackup.testing.TableChecksums;
import io.tenantbackup.testing.TestTenant;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Full backups of a real MariaDB tenant through the DAG tasks, restored and compared; then the failure paths. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullBackupTest {

    private static final DagSubmitter NO_DAG = (template, params) -> {
        throw new AssertionError("validation should have refused before creating DAG " + template.name());
    };
    private static TestTenant tenant;
    private static Path destinations;

    @Inject
    BackupConfigService configs;

    @Inject
    BackupService backups;

    @Inject
    BackupQueryService queries;

    @Inject
    ObjectMapper json;

    @Inject
    TaskEngine engine;

    @Inject
    TaskQueries tasks;

    @BeforeAll
    static void startTenantWithData() throws Exception {
        tenant = TestTenant.start(1002, "t1", Map.of("innodb-buffer-pool-size", "512M"));
        destinations = Path.of(System.getenv().getOrDefault("TENANT_BACKUP_TEST_DATA_DIR", "/tmp/tb-bak"), "dest");
        TestTenant.deleteTree(destinations);
        try (Connection connection = tenant.instance().agent().connect(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("USE shop");
            sql.execute("CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64)) ENGINE=InnoDB");
            sql.execute("INSERT INTO shop.customers SELECT seq, CONCAT('customer-', seq) FROM seq_1_to_20000");
            sql.execute("CREATE TABLE shop.notes (id INT PRIMARY KEY, body VARCHAR(32)) ENGINE=Aria");
            sql.execute("INSERT INTO shop.notes VALUES (1, 'non-InnoDB table')");
            // bulk data without binlog: enough (about 250 MB) for a backup that can be interrupted
            sql.execute("SET sql_log_bin = 0");
            sql.execute("CREATE TABLE shop.events (id INT PRIMARY KEY, pad VARCHAR(255)) ENGINE=InnoDB");
            sql.execute("INSERT INTO shop.events SELECT seq, REPEAT(MD5(seq), 7) FROM seq_1_to_1000000");
        }
    }

    @AfterAll
    static void stopTenant() throws Exception {
        if (tenant != null) {
            tenant.close();
        }
    }

    @Test
    @Order(1)
    void startIsRefusedUntilBothDestinationsAreConfigured() {
        TenantInstance t1 = tenant.instance();
        ServiceException e = assertThrows(ServiceException.class, () -> backups.start(t1, "", null, null, NO_DAG));
        assertEquals("OB.Backup.ArchiveDestEmpty", e.code().errCode());
        assertEquals("Archive destination is empty, tenant: t1(1002)", e.getMessage());
        assertEquals(new BackupConfigService.StorageView(1002, "", ""), configs.storage(t1));
        assertCode("OB.Backup.DataBaseUriEmpty", () -> configs.create(t1,
                new BackupConfigRequest(null, uri("archive"), null, null, null, null, null, null), NO_DAG));
        assertCode("OB.Storage.URI.NotSupported", () -> configs.create(t1,
                new BackupConfigRequest("s3://b/d", uri("archive"), null, null, null, null, null, null), NO_DAG));
    }

    @Test
    @Order(2)
    void configDagProbesAndStoresDestinations() {
        InlineDagRunner dag = configure(uri("data"), uri("archive"));
        assertEquals("Set obcluster backup config for t1", dag.template().name());
        assertEquals(List.of("Check backup config", "Set backup config"), dag.nodeNames());
        assertEquals("t1", dag.template().maintenanceKey());
        assertEquals(new BackupConfigService.StorageView(1002, uri("archive"), uri("data")),
                configs.storage(tenant.instance()));
        assertTrue(Files.isDirectory(destinations.resolve("data")));
    }

    @Test
    @Order(3)
    void startValidatesModeAndRefusesWhatIsNotBuilt() {
        TenantInstance t1 = tenant.instance();
        ServiceException mode = assertThrows(ServiceException.class, () -> backups.start(t1, "FOO", null, null, NO_DAG));
        assertEquals("OB.Backup.Mode.Invalid", mode.code().errCode());
        assertEquals("Invalid backup mode: foo, must be full or incremental", mode.getMessage());
        assertCode("OB.Backup.FeatureNotSupported", () -> backups.start(t1, "Incremental", null, null, NO_DAG));
        assertCode("OB.Backup.FeatureNotSupported", () -> backups.start(t1, null, true, null, NO_DAG));
        ServiceException encrypted = assertThrows(ServiceException.class,
                () -> backups.start(t1, "full", false, "secret-passphrase", NO_DAG));
        assertEquals("OB.Backup.FeatureNotSupported", encrypted.code().errCode());
        assertFalse(encrypted.getMessage().contains("secret-passphrase"));
        assertCode("Task.NotFound", () -> queries.overview(t1));
    }

    @Test
    @Order(4)
    void fullBackupIsVerifiedAndRestoresToTheSameData() throws Exception {
        TenantInstance t1 = tenant.instance();
        Map<String, Long> source;
        try (Connection connection = t1.agent().connect()) {
            source = TableChecksums.of(connection);
        }
        long dagId = backups.start(t1, null, null, null, (template, params) -> engine.submit(template, params).id);
        DagDetail done = awaitFinished(dagId);
        assertEquals("Obcluster start full backup for t1", done.dag().name);
        assertEquals(List.of("Check destination", "Open archive log", "Start backup", "Wait backup Finish"),
                done.nodes().stream().map(node -> node.node().name).toList());
        assertEquals(TaskState.SUCCEED, done.dag().state, () -> done.nodes().toString());
        assertEquals(dagId, queries.overview(t1).dagId);
        List<String> logs = done.nodes().stream().flatMap(node -> node.subTasks().stream())
                .flatMap(subTask -> subTask.logLines().stream()).toList();
        assertTrue(logs.stream().anyMatch(line -> line.contains("not implemented yet")), logs.toString());
        assertTrue(logs.stream().anyMatch(line -> line.contains("mariabackup: ") && line.contains("completed OK!")));

        BackupSet set = queries.overview(t1);
        assertEquals(BackupSet.Status.COMPLETED, set.status);
        Path setDir = destinations.resolve("data/backup_set_" + set.id + "_full");
        assertEquals("file://" + setDir, set.path);
        JsonNode manifest = json.readTree(setDir.resolve("manifest.json").toFile());
        assertEquals(set.id.longValue(), manifest.get("backup_set_id").asLong());
        assertEquals(set.toLsn.longValue(), manifest.get("to_lsn").asLong());
        assertEquals(set.binlogFile, manifest.get("binlog_file").asText());
        assertTrue(manifest.get("tool_versions").get("mariabackup").asText().contains("10.11"));
        assertEquals(3, manifest.get("files").size());
        for (JsonNode file : manifest.get("files")) {
            Path stored = setDir.resolve(file.get("name").asText());
            assertEquals(file.get("size").asLong(), Files.size(stored), stored.toString());
            assertEquals(file.get("sha256").asText(), sha256(stored), stored.toString());
        }
        assertEquals(set.outputBytes, Files.size(setDir.resolve("data.xbstream")));
        assertTrue(set.outputBytes > 200_000_000L, "stream of " + set.outputBytes + " bytes");
        assertTrue(set.endScn > 0, "GTID seq_no of the backup point");

        assertEquals(source, RestoreCheck.restoredChecksums(setDir.resolve("data.xbstream"),
                t1.layout().agentOptionFile()));

        assertEquals(set.endTime, queries.info(t1).lastDataBackupTime().orElseThrow());
        BackupQueryService.BackupTaskPage page = queries.tasks(t1,
                BackupTaskQuery.of(null, null, "completed,failed", null, null, "end_timestamp,asc"));
        assertEquals(1, page.totalElements());
        assertEquals(0, queries.tasks(t1, BackupTaskQuery.of(set.endTime, null, "", 1L, 10L, null)).totalElements());
    }

    @Test
    @Order(5)
    void secondStartIsRefusedWhileOneRunsAndAnUnwritableDestinationFailsTheCheck() throws Exception {
        TenantInstance t1 = tenant.instance();
        Path data = destinations.resolve("data");
        TestTenant.deleteTree(data);
        Files.writeString(data, "a file where the data directory should be");
        try {
            InlineDagRunner first = new InlineDagRunner();
            backups.start(t1, "full", false, "", first);
            ServiceException busy = assertThrows(ServiceException.class,
                    () -> backups.start(t1, "full", null, null, NO_DAG));
            assertEquals("OB.Backup.InProgress", busy.code().errCode());
            assertTrue(busy.getMessage().contains("backup set " + queries.overview(t1).id), busy.getMessage());

            Exception failure = first.run().orElseThrow();
            assertTrue(failure.getMessage().contains("is not usable: cannot create directory"), failure.getMessage());
            BackupSet set = queries.overview(t1);
            assertEquals(BackupSet.Status.FAILED, set.status);
            assertEquals(failure.getMessage(), set.comment);
        } finally {
            Files.delete(data);
        }
    }

    @Test
    @Order(6)
    void cancellingTheDagStopsMariabackupAndEndsTheSetCanceled() throws Exception {
        TenantInstance t1 = tenant.instance();
        long dagId = backups.start(t1, null, null, null, (template, params) -> engine.submit(template, params).id);
        Path setDir = awaitStreaming(t1, dagId);
        engine.cancel(dagId);

        DagDetail done = awaitFinished(dagId);
        assertEquals(TaskState.FAILED, done.dag().state);
        BackupSet set = queries.overview(t1);
        assertEquals(BackupSet.Status.CANCELED, set.status);
        assertFalse(Files.exists(setDir), "partial set left: " + setDir);
    }

    @Test
    @Order(7)
    void tenantKilledMidBackupFailsWithAReasonAndLeavesNoFiles() throws Exception {
        TenantInstance t1 = tenant.instance();
        long dagId = backups.start(t1, null, null, null, (template, params) -> engine.submit(template, params).id);
        Path setDir = awaitStreaming(t1, dagId);
        ServiceException busy = assertThrows(ServiceException.class,
                () -> backups.start(t1, "full", null, null, NO_DAG));
        assertEquals("OB.Backup.InProgress", busy.code().errCode());
        assertTrue(busy.getMessage().contains("DAG 1" + dagId + " (Obcluster start full backup for t1)"),
                busy.getMessage());
        tenant.kill();

        DagDetail done = awaitFinished(dagId);
        assertEquals(TaskState.FAILED, done.dag().state);
        List<String> startLogs = done.nodes().get(2).subTasks().get(0).logLines();
        String lastLine = startLogs.get(startLogs.size() - 1);
        assertTrue(lastLine.contains("mariabackup for tenant t1"), startLogs.toString());
        BackupSet set = queries.overview(t1);
        assertEquals(BackupSet.Status.FAILED, set.status);
        assertTrue(lastLine.contains(set.comment), lastLine + " / " + set.comment);
        assertFalse(Files.exists(setDir), "partial set left: " + setDir);
    }

    /** Waits until 20 MB of the stream are stored; returns the set directory. */
    private Path awaitStreaming(TenantInstance t1, long dagId) throws Exception {
        Path setDir = destinations.resolve("data/backup_set_" + queries.overview(t1).id + "_full");
        Path part = setDir.resolve("data.xbstream.part");
        while (!(Files.exists(part) && Files.size(part) > 20_000_000L)) {
            assertFalse(tasks.dag(dagId).dag().isFinished(), "the backup ended before it could be interrupted");
            Thread.sleep(5);
        }
        return setDir;
    }

    private DagDetail awaitFinished(long dagId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            DagDetail detail = tasks.dag(dagId);
            if (detail.dag().isFinished()) {
                return detail;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("DAG " + dagId + " did not finish: " + tasks.dag(dagId));
    }

    private InlineDagRunner configure(String data, String archive) {
        InlineDagRunner dag = new InlineDagRunner();
        configs.create(tenant.instance(), new BackupConfigRequest(data, archive, 4, 50, "", null, "1m", null), dag);
        assertEquals(Optional.empty(), dag.run().map(Exception::getMessage));
        return dag;
    }

    private static String uri(String leaf) {
        return "file://" + destinations.resolve(leaf);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void assertCode(String code, Executable call) {
        assertEquals(code, assertThrows(ServiceException.class, call).code().errCode());
    }
}
