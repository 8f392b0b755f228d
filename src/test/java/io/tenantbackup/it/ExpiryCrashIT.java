package io.tenantbackup.it;

import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.archive.ArchivedBinlogs;
import io.tenantbackup.repository.archive.ArchiveLayout;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.checksumsAsRoot;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static io.tenantbackup.api.TenantApiClient.sqlAsRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: expiry killed mid-run. Three chains (a full and an incremental each) with the archive running; a recovery
 * window of one second lets the first two chains and the archive before the third go. The packaged service is
 * killed with SIGKILL while it deletes the oldest full (the last set of the plan; its manifest is gone, part of its
 * files too, the archive pieces are not deleted yet). At that moment the restore windows already start at the kept
 * chain; on disk every set that still has a manifest has all its files. After the restart the expiry DAG resumes and
 * finishes (the half-deleted directory goes as a leftover), verify finds everything valid (nothing missing), the
 * kept chain restores to the windows' earliest point and to its incremental's point and equals the source there,
 * and a second expiry has nothing left to delete.
 */
class ExpiryCrashIT {

    private static final String TENANT = "exc";
    private static final String ROOT_PASSWORD = "exc-root";
    private static final Path DATA_DIR = Path.of("/tmp/tbt-expirycrash/it");
    private static final Path TENANTS = DATA_DIR.resolve("tenants");
    private static final Path DATA = DATA_DIR.resolve("dest/data");
    private static final Path ARCHIVE = DATA_DIR.resolve("dest/archive");
    private static final String DB = "tenant_backup_it_expirycrash";
    private static final List<String> RESTORED = List.of("excr1", "excr2");
    /** Enough stray files that deleting them takes about a second on a local disk. */
    private static final int STRAY_FILES = 120_000;

    private static ServiceProcess service;
    private int nextRow = 1;

    @BeforeAll
    static void startService() throws Exception {
        service = ServiceProcess.startCleanFor(DATA_DIR, TENANTS, Stream.concat(Stream.of(TENANT), RESTORED.stream())
                .toList(), DB, Path.of("target/it-expiry-crash.log"));
    }

    @AfterAll
    static void stopService() throws Exception {
        if (service != null) {
            service.closeDropping(Stream.concat(RESTORED.stream(), Stream.of(TENANT)).toList());
        }
        TestTenant.deleteTree(DATA_DIR);
    }

    @Test
    void anExpiryKilledMidRunLeavesOnlyWholeChainsAndFinishesAfterTheRestart() throws Exception {
        createTenant(TENANT, ROOT_PASSWORD);
        sql("CREATE DATABASE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY, note VARCHAR(64)) ENGINE=InnoDB");
        write(100);
        JsonPath configured = awaitDag(api().body(Map.of("data_base_uri", "file://" + DATA,
                "archive_base_uri", "file://" + ARCHIVE, "archive_lag_target", "1s"))
                .post(config()).then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", configured.getString("state"), configured::prettify);

        String fullA = backup("full");
        write(50);
        String incA = backup("incremental");
        write(50);
        awaitArchived(1);
        api().body("{\"status\":\"STOP\"}").patch("/api/v1/tenant/" + TENANT + "/backup/log").then().statusCode(200);
        awaitArchiveStopped();
        write(50);
        String fullB = backup("full");
        write(50);
        String incB = backup("incremental");
        write(50);
        String fullC = backup("full");
        Map<String, Long> atFullC = checksumsAsRoot(port(), ROOT_PASSWORD);
        sleep(1100); // binlog event times are whole seconds: the next write must fall after fullC's second
        write(50);
        String incC = backup("incremental");
        Map<String, Long> atIncC = checksumsAsRoot(port(), ROOT_PASSWORD);
        sleep(1100);
        write(50);
        awaitArchived(2);
        sleep(1100);

        addStrayFiles(fullA);
        int pieces = ArchiveLayout.pieces(Storages.open("file://" + ARCHIVE)).size();
        JsonPath policy = awaitDag(api().body("{\"delete_policy\":{\"policy\":\"default\",\"recovery_window\":\"1s\"}}")
                .patch(config()).then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", policy.getString("state"), policy::prettify);
        String expiry = api().post("/api/v1/tenant/" + TENANT + "/backup/expire").then().statusCode(200)
                .extract().path("data.id");
        awaitManifestGone(fullA, expiry);
        Instant offeredFrom = earliestWindow();
        service.kill();

        assertTrue(Files.isDirectory(DATA.resolve(fullA)), "the kill came after " + fullA + " was deleted");
        assertFalse(Files.exists(DATA.resolve(fullA).resolve("manifest.json")));
        BackupSets data = BackupSets.in("file://" + DATA);
        List<String> whole = data.list().stream().map(set -> verified(data, set)).toList();
        assertEquals(List.of(fullC, incC), whole, "sets with a manifest after the kill");
        assertEquals(pieces, ArchiveLayout.pieces(Storages.open("file://" + ARCHIVE)).size(),
                "the kill came before the archive pieces were deleted");
        Instant fullCPoint = Instant.parse(data.read(fullC).manifest().endTime());
        assertEquals(fullCPoint, offeredFrom, "the half-deleted " + fullA + " and the deleted chain offer no window");

        service.start();
        JsonPath resumed = awaitDag(expiry);
        String log = String.join("\n", resumed.getList("nodes[0].sub_tasks[0].task_logs", String.class));
        assertEquals("SUCCEED", resumed.getString("state"), resumed::prettify);
        assertTrue(log.contains("Resumed after a service restart"), log);
        assertTrue(log.contains("Deleting " + fullA + " from ") && log.contains("it has no manifest"), log);
        assertTrue(log.contains("Deleting round_1/piece_"), log);
        assertFalse(log.contains(fullC + " from") || log.contains(incC + " from"), log);
        for (String gone : List.of(incB, fullB, incA)) {
            assertTrue(log.contains("Deleting " + gone + " from "), log);
        }
        assertEquals(List.of(fullC, incC), setDirectories(), "nothing of the deleted chains is left");
        assertEquals(fullCPoint, earliestWindow());

        JsonPath verified = awaitDag(api().body("{}").post("/api/v1/tenant/" + TENANT + "/backup/verify").then()
                .statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", verified.getString("state"), verified::prettify);
        JsonPath results = api().get("/api/v1/tenant/" + TENANT + "/backup/verify").then().statusCode(200).extract()
                .jsonPath().setRootPath("data");
        assertEquals(List.of("VALID", "VALID", "VALID"), results.getList("results.status"), results::prettify);

        assertEquals(atFullC, restore(RESTORED.get(0), fullCPoint));
        assertEquals(atIncC, restore(RESTORED.get(1), Instant.parse(data.read(incC).manifest().endTime())));

        JsonPath second = awaitDag(api().post("/api/v1/tenant/" + TENANT + "/backup/expire").then().statusCode(200)
                .extract().path("data.id"));
        assertEquals("SUCCEED", second.getString("state"), second::prettify);
        assertTrue(second.getList("nodes[0].sub_tasks[0].task_logs", String.class).stream()
                .anyMatch(line -> line.contains("done: 0 deleted")), second::prettify);
        assertEquals(List.of(fullC, incC), setDirectories());
    }

    /**
     * Fault injector: deleting a set from a local disk takes milliseconds, too short to kill the service inside it.
     * Stray files in the set's directory make it last about a second; the deletion walks the directory in reverse
     * name order, so they go after the xtrabackup files and before data.xbstream: the set is half deleted meanwhile.
     */
    private static void addStrayFiles(String set) throws IOException {
        Path stray = Files.createDirectory(DATA.resolve(set).resolve("stray"));
        for (int file = 0; file < STRAY_FILES; file++) {
            Files.createFile(stray.resolve(Integer.toString(file)));
        }
    }

    /** Waits, polling every millisecond, until the set's manifest is gone; fails if the DAG ends first. */
    private static void awaitManifestGone(String set, String dagId) {
        Path manifest = DATA.resolve(set).resolve("manifest.json");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int poll = 0; Files.exists(manifest); poll++) {
            assertTrue(System.nanoTime() < deadline, "the expiry never deleted " + manifest);
            if (poll % 200 == 0) {
                String state = api().get("/api/v1/task/dag/" + dagId).then().extract().path("data.state");
                assertFalse(state.equals("SUCCEED") || state.equals("FAILED"), "the expiry ended " + state);
            }
            sleep(1);
        }
    }

    private static String verified(BackupSets data, StoredSet set) {
        try {
            return data.verify(set.directory()).directory();
        } catch (IOException e) {
            throw new AssertionError(set.directory() + " has a manifest but not all its files", e);
        }
    }

    private static List<String> setDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(DATA)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static Instant earliestWindow() {
        JsonPath windows = api().body(Map.of("data_backup_uri", "file://" + DATA, "archive_log_uri", "file://" + ARCHIVE))
                .get("/api/v1/restore/windows").then().statusCode(200).extract().jsonPath().setRootPath("data");
        return Instant.parse(windows.getString("restore_windows[0].start_time"));
    }

    /** Restores the tenant to {@code point} under {@code name} and returns the restored tenant's checksums. */
    private static Map<String, Long> restore(String name, Instant point) throws Exception {
        JsonPath restore = awaitDag(api().body(Map.of("data_backup_uri", "file://" + DATA,
                        "archive_log_uri", "file://" + ARCHIVE, "restore_tenant_name", name,
                        "timestamp", point.toString()))
                .post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", restore.getString("state"), restore::prettify);
        return checksumsAsRoot(TenantApiClient.port(name), ROOT_PASSWORD);
    }

    /** Takes a backup and returns its set directory's name. */
    private static String backup(String mode) {
        JsonPath dag = awaitDag(api().body("{\"mode\":\"" + mode + "\"}").post("/api/v1/tenant/" + TENANT + "/backup")
                .then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        long id = api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200).extract()
                .jsonPath().getLong("data.status.backup_set_id");
        return "backup_set_" + id + (mode.equals("full") ? "_full" : "_inc");
    }

    /** Closes the current binlog and waits until archive round {@code round} holds everything written so far. */
    private static void awaitArchived(int round) throws Exception {
        sql("FLUSH BINARY LOGS");
        String position;
        try (Connection connection = connectAsRoot(port(), ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            position = row.getString(1);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ArchivedBinlogs.archivedUpTo(ARCHIVE, round).equals(position)) {
            assertTrue(System.nanoTime() < deadline, "round " + round + " never reached GTID " + position);
            sleep(250);
        }
    }

    /** Waits until the tenant's archive log is stopped, so that the next backup opens a new round. */
    private static void awaitArchiveStopped() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"STOP".equals(api().get("/api/v1/tenant/" + TENANT + "/backup/log/tasks").then().statusCode(200)
                .extract().path("data.contents[0].status"))) {
            assertTrue(System.nanoTime() < deadline, "the archive log never stopped");
            sleep(200);
        }
    }

    private void write(int rows) throws Exception {
        int first = nextRow;
        nextRow += rows;
        sql("USE shop", "INSERT INTO shop.items SELECT seq, CONCAT('row-', seq) FROM seq_" + first + "_to_"
                + (nextRow - 1));
    }

    private static String config() {
        return "/api/v1/tenant/" + TENANT + "/backup/config";
    }

    private static int port() {
        return TenantApiClient.port(TENANT);
    }

    private static void sql(String... statements) throws Exception {
        sqlAsRoot(port(), ROOT_PASSWORD, statements);
    }
}
