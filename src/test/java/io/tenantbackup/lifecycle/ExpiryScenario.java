package io.tenantbackup.lifecycle;

import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.GenericId;
import io.tenantbackup.testing.TableChecksums;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.port;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static io.tenantbackup.api.TenantApiClient.unfinishedDagCount;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expiry by delete_policy on a real tenant, the same steps on every destination kind: a chain of two fulls with an
 * incremental each, taken in sequence, the archive restarted in between (two rounds); a recovery window of one
 * second then lets the first chain and the first round go, keeps the second chain, and a restore to the earliest
 * point still offered matches the source at that point; the hourly scheduler's run then keeps the only chain. Bad
 * policies and expiry requests change nothing.
 */
abstract class ExpiryScenario {

    @Inject
    ExpiryScheduler scheduler;

    @Inject
    AgroalDataSource metadata;

    private final String tenant;
    private final String rootPassword;
    private final String restored;
    private int nextRow = 1;

    ExpiryScenario(String tenant) {
        this.tenant = tenant;
        this.rootPassword = tenant + "-root";
        this.restored = tenant + "r";
    }

    abstract String dataUri();

    abstract String archiveUri();

    /** archive_lag_target for this destination kind (object storage wants at least 1m). */
    abstract String lagTarget();

    private String config() {
        return "/api/v1/tenant/" + tenant + "/backup/config";
    }

    private String expire() {
        return "/api/v1/tenant/" + tenant + "/backup/expire";
    }

    /** Runs the scenario, then drops the tenants it made. */
    void run() throws Exception {
        try {
            scenario();
        } finally {
            for (String name : List.of(restored, tenant)) {
                if (api().get("/api/v1/tenant/" + name).then().extract().statusCode() == 200) {
                    dropTenant(name);
                }
            }
        }
    }

    private void scenario() throws Exception {
        createTenant(tenant, rootPassword);
        sql("CREATE DATABASE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY, note VARCHAR(64)) ENGINE=InnoDB");
        write(200);
        JsonPath configured = awaitDag(api().body(Map.of("data_base_uri", dataUri(), "archive_base_uri", archiveUri(),
                "archive_lag_target", lagTarget())).post(config()).then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", configured.getString("state"), configured::prettify);

        badPoliciesAndExpiryWithoutAPolicyChangeNothing();

        String full1 = backup("full");
        write(50);
        String inc2 = backup("incremental");
        write(50);
        awaitArchived("round_1");
        api().body("{\"status\":\"STOP\"}").patch("/api/v1/tenant/" + tenant + "/backup/log").then().statusCode(200);
        awaitArchiveStatus("STOP");
        write(50);
        String full3 = backup("full");
        Map<String, Long> atFull3 = checksums(port(tenant));
        sleep(1100); // binlog event times are whole seconds: the next write must fall after full3's second
        write(50);
        String inc4 = backup("incremental");
        write(50);
        awaitArchived("round_2");
        sleep(1500);

        setPolicy("{\"policy\":\"default\",\"recovery_window\":\"1s\"}");
        api().get(config() + "/storage").then().statusCode(200)
                .body("data.delete_policy.policy", equalTo("default"))
                .body("data.delete_policy.recovery_window", equalTo("1s"));
        JsonPath expiry = awaitDag(api().post(expire()).then().statusCode(200)
                .body("data.name", equalTo("Expire backups for " + tenant)).extract().path("data.id"));
        assertEquals("SUCCEED", expiry.getString("state"), expiry::prettify);
        String log = String.join("\n", expiry.getList("nodes[0].sub_tasks[0].task_logs", String.class));
        for (String deleted : List.of(inc2, full1)) {
            assertTrue(log.contains("Deleting " + deleted + " from "), log);
        }
        assertTrue(log.indexOf(inc2 + " from") < log.indexOf(full1 + " from"), "the incremental goes first: " + log);
        assertTrue(log.contains("Deleting round_1/piece_"), log);
        assertFalse(log.contains(full3 + " from") || log.contains(inc4 + " from"), log);

        BackupStorage data = Storages.open(dataUri());
        assertEquals(List.of(full3, inc4), data.list("").stream().filter(BackupStorage.Entry::directory)
                .map(BackupStorage.Entry::name).toList());
        assertEquals(0, piecesWithManifest("round_1"), "the first round ends before the kept chain");
        assertTrue(piecesWithManifest("round_2") > 0, "the archive after the kept chain stays");

        Instant full3Point = Instant.parse(BackupSets.in(data).read(full3).manifest().endTime());
        JsonPath windows = api().body(Map.of("data_backup_uri", dataUri(), "archive_log_uri", archiveUri()))
                .get("/api/v1/restore/windows").then().statusCode(200).extract().jsonPath().setRootPath("data");
        Instant earliest = Instant.parse(windows.getString("restore_windows[0].start_time"));
        assertEquals(full3Point, earliest, windows::prettify);

        JsonPath restore = awaitDag(api().body(Map.of("data_backup_uri", dataUri(), "archive_log_uri", archiveUri(),
                        "restore_tenant_name", restored, "timestamp", earliest.toString()))
                .post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", restore.getString("state"), restore::prettify);
        assertEquals(atFull3, checksums(port(restored)));

        long before = newestExpiryDag();
        scheduler.expireAll();
        long scheduled = newestExpiryDag();
        assertTrue(scheduled > before, "the scheduler submitted an expiry for the tenant with a policy");
        JsonPath again = awaitDag(GenericId.encode(scheduled));
        assertEquals("SUCCEED", again.getString("state"), again::prettify);
        assertEquals(List.of(full3, inc4), data.list("").stream().filter(BackupStorage.Entry::directory)
                .map(BackupStorage.Entry::name).toList(), "a second expiry keeps the only chain");

        setPolicy("{\"policy\":\"NONE\"}");
        api().get(config() + "/storage").then().statusCode(200).body("data.delete_policy", nullValue());
        badRequest().post(expire()).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.DeletePolicy.NotSet"));
    }

    private void badPoliciesAndExpiryWithoutAPolicyChangeNothing() {
        int unfinished = unfinishedDagCount();
        badRequest().body("{\"delete_policy\":{\"policy\":\"weekly\",\"recovery_window\":\"7d\"}}").patch(config())
                .then().statusCode(400).body("error.errCode", equalTo("OB.Backup.DeletePolicy.Invalid"));
        for (String window : List.of("1h30m", "7", "0d", "366d", "")) {
            badRequest().body("{\"delete_policy\":{\"policy\":\"default\",\"recovery_window\":\"" + window + "\"}}")
                    .patch(config()).then().statusCode(400)
                    .body("error.errCode", equalTo("Common.InvalidTimeDuration"))
                    .body("error.message", containsString("recovery_window"));
        }
        badRequest().post(expire()).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.DeletePolicy.NotSet"))
                .body("error.message", containsString("recovery_window"));
        badRequest().post("/api/v1/tenant/nosuch/backup/expire").then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"));
        api().get(config() + "/storage").then().statusCode(200).body("data.delete_policy", nullValue());
        assertEquals(unfinished, unfinishedDagCount());
    }

    private long newestExpiryDag() throws Exception {
        try (Connection connection = metadata.getConnection(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT COALESCE(MAX(id), 0) FROM dag WHERE name = 'Expire backups for "
                     + tenant + "'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private void setPolicy(String policy) {
        JsonPath dag = awaitDag(api().body("{\"delete_policy\":" + policy + "}").patch(config()).then().statusCode(200)
                .extract().path("data.id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
    }

    /** Takes a backup and returns its set directory's name. */
    private String backup(String mode) throws IOException {
        JsonPath dag = awaitDag(api().body("{\"mode\":\"" + mode + "\"}").post("/api/v1/tenant/" + tenant + "/backup")
                .then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        long id = api().get("/api/v1/tenant/" + tenant + "/backup/overview").then().statusCode(200).extract().jsonPath()
                .getLong("data.status.backup_set_id");
        return "backup_set_" + id + (mode.equals("full") ? "_full" : "_inc");
    }

    private long piecesWithManifest(String round) throws IOException {
        BackupStorage archive = Storages.open(archiveUri());
        long count = 0;
        for (BackupStorage.Entry piece : archive.list(round)) {
            if (archive.size(round + "/" + piece.name() + "/manifest.json").isPresent()) {
                count++;
            }
        }
        return count;
    }

    /** Closes the current binlog and waits until {@code round} holds an archived piece. */
    private void awaitArchived(String round) throws Exception {
        sql("FLUSH BINARY LOGS");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (piecesWithManifest(round) == 0) {
            assertTrue(System.nanoTime() < deadline, round + " archived nothing within 90 s");
            sleep(300);
        }
    }

    private void awaitArchiveStatus(String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String now = api().get("/api/v1/tenant/" + tenant + "/backup/log/tasks").then().statusCode(200).extract()
                    .path("data.contents[0].status");
            if (status.equals(now)) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("The archive log of " + tenant + " did not reach " + status);
    }

    private void write(int rows) throws Exception {
        int first = nextRow;
        nextRow += rows;
        sql("USE shop", "INSERT INTO shop.items SELECT seq, CONCAT('row-', seq) FROM seq_" + first + "_to_" + (nextRow - 1));
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = connectAsRoot(port(tenant), rootPassword);
             Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    private Map<String, Long> checksums(int port) throws Exception {
        try (Connection connection = connectAsRoot(port, rootPassword)) {
            return TableChecksums.of(connection);
        }
    }
}
