package io.tenantbackup.cluster;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.mariadb.MariaDbServer;
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
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tenantbackup.api.BackupApiClient.awaitClusterTenantRunning;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.unfinishedDagCount;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 on three real tenants: the obcluster config derives each tenant's destinations, a cluster full and
 * incremental backup give every tenant its own set that restores (through POST /tenant/restore) to data equal to its
 * source, the archive switch and the cancel act on all, refusals create nothing, and a tenant whose mariadbd is killed
 * fails alone. The supervisor is slowed down so that the killed instance stays dead during the cluster backup.
 */
@QuarkusTest
@TestProfile(ClusterBackupApiTest.SlowSupervisor.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBackupApiTest {

    public static class SlowSupervisor implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the interval is read by @Scheduled only, not by a config mapping: allow the unmapped name
            return Map.of("tenant-backup.supervise-interval", "1h", "smallrye.config.mapping.validate-unknown", "false");
        }
    }

    private static final List<String> TENANTS = List.of("cb1", "cb2", "cb3");
    private static final String ROOT_PASSWORD = "cb-root";
    private static final String CONFIG = "/api/v1/obcluster/backup/config";
    private static final String BACKUP = "/api/v1/obcluster/backup";
    private static final String LOG = "/api/v1/obcluster/backup/log";
    private static final String OVERVIEW = "/api/v1/obcluster/backup/overview";

    @Inject
    ServiceConfig config;

    @Inject
    ClusterConfig cluster;

    private Path base;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Long> ids = new LinkedHashMap<>();

    @BeforeEach
    void threeSmallTenants() throws Exception {
        if (!ports.isEmpty()) {
            return;
        }
        for (String name : TENANTS) {
            removeLeftovers(config.dataDir(), name);
            removeLeftovers(config.dataDir(), name + "r");
        }
        base = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-cl-dest");
        TestTenant.deleteTree(base);
        noUserTenantIsRefused();
        int rows = 1000;
        for (String name : TENANTS) {
            JsonPath tenant = createTenant(name, ROOT_PASSWORD);
            ports.put(name, tenant.getInt("connection.port"));
            ids.put(name, tenant.getLong("tenant_id"));
            sql(name, "CREATE DATABASE app", "USE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(32)) ENGINE=InnoDB",
                    "INSERT INTO app.t SELECT seq, CONCAT('" + name + "-', seq) FROM seq_1_to_" + rows);
            rows += 500;
        }
    }

    /** Only provable while the test database has no tenant (this class alone, or first in the run). */
    private void noUserTenantIsRefused() {
        List<?> existing = api().get("/api/v1/tenants/overview").then().statusCode(200).extract().path("data.contents");
        Assumptions.assumeTrue(existing == null || existing.isEmpty(), "other tenants exist in the test database");
        badRequest().body(Map.of("backup_base_uri", "file://" + base)).post(CONFIG).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.NoUserTenants"));
        badRequest().body("{\"mode\":\"\"}").post(BACKUP).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.NoUserTenants"));
    }

    @Test
    @Order(1)
    void badInputIsRefusedWithObshellsCodesAndCreatesNothing() {
        int unfinished = unfinishedDagCount();
        badRequest().body("{\"mode\":\"\"}").post(BACKUP).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.ArchiveDestEmpty"))
                .body("error.message", containsString("cb1"));
        // the Go SDK's POST body: every optional member null, backup_base_uri "" when not set
        badRequest().body(goConfig("")).post(CONFIG).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.BaseUriEmpty"));
        badRequest().body(Map.of("binding", "mandatory")).patch(CONFIG).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.BaseUriEmpty"))
                .body("error.message", equalTo("If binding is set, backup_base_uri must be set"));
        badRequest().body(Map.of("backup_base_uri", baseUri(), "log_archive_concurrency", 101)).post(CONFIG).then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.LogArchiveConcurrency.Invalid"));
        badRequest().body(Map.of("backup_base_uri", baseUri(), "piece_switch_interval", "8d")).post(CONFIG).then()
                .statusCode(400).body("error.errCode", equalTo("OB.Backup.PieceSwitchInterval.Invalid"));
        badRequest().body(Map.of("backup_base_uri", "ftp://host/backup")).post(CONFIG).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Storage.URI.Invalid"));
        badRequest().body(Map.of("status", "paused")).patch(BACKUP).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.Status.Invalid"));
        badRequest().body("{\"status\":\"\"}").patch(BACKUP).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.NoRunningBackup"));
        badRequest().body(Map.of("status", "bogus")).patch(LOG).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.ArchiveLogStatus.Invalid"));
        badRequest().body(Map.of("status", "doing")).patch(LOG).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Backup.ArchiveDestEmpty"));
        badRequest().get(OVERVIEW).then().statusCode(404).body("error.errCode", equalTo("Common.NotFound"));
        badRequest().post("/api/v1/obcluster/backup/overview").then().statusCode(404)
                .body("error.errCode", equalTo("Common.NotFound"));

        assertEquals(unfinished, unfinishedDagCount());
        for (String name : TENANTS) {
            api().get("/api/v1/tenant/" + name + "/backup/config/storage").then().statusCode(200)
                    .body("data.data_base_uri", equalTo("")).body("data.archive_base_uri", equalTo(""));
        }
        assertFalse(Files.exists(base));
    }

    @Test
    @Order(2)
    void clusterConfigGivesEveryTenantItsOwnDestinations() {
        String dagId = api().body(Map.of("backup_base_uri", baseUri())).post(CONFIG).then().statusCode(200)
                .body("data.name", equalTo("Set obcluster backup config")).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        assertEquals(List.of("Check backup config", "Set backup config"), dag.getList("nodes.name"));
        for (String name : TENANTS) {
            String tenantBase = baseUri() + "/" + cluster.id() + "/" + ids.get(name);
            api().get("/api/v1/tenant/" + name + "/backup/config/storage").then().statusCode(200)
                    .body("data.data_base_uri", equalTo(tenantBase + "/data"))
                    .body("data.archive_base_uri", equalTo(tenantBase + "/clog"));
        }
        // the Go SDK's PATCH: backup_base_uri "" means not given; destinations stay. Its delete_policy null is
        // what the contract's $ref cannot say (OpenAPI 3.0), hence no request validation here.
        String patch = badRequest().body(goConfig("").replace("\"ha_low_thread_score\":null", "\"ha_low_thread_score\":50"))
                .patch(CONFIG).then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(patch).getString("state"));
        api().get("/api/v1/tenant/cb2/backup/config/storage").then()
                .body("data.data_base_uri", equalTo(baseUri() + "/" + cluster.id() + "/" + ids.get("cb2") + "/data"));
    }

    @Test
    @Order(3)
    void clusterFullBackupGivesEveryTenantARestorableSetInItsOwnDestination() throws Exception {
        Map<String, Map<String, Long>> sources = sourceChecksums();
        JsonPath dag = clusterBackup("{\"mode\":\"\"}", "Obcluster start full backup");
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        Map<String, String> results = dag.getMap("nodes[0].sub_tasks[0].additional_data");
        List<Map<String, Object>> statuses = overview();
        assertEquals(3, statuses.size());
        for (String name : TENANTS) {
            assertTrue(results.get("backup." + name).startsWith("COMPLETED"), results::toString);
            Map<String, Object> status = statusOf(statuses, name);
            assertEquals("COMPLETED", status.get("status"));
            assertTrue(((String) status.get("path")).startsWith(dataUri(name) + "/backup_set_"), status::toString);
            assertTrue(Files.exists(dataDir(name).resolve(Path.of((String) status.get("path")).getFileName())
                    .resolve("manifest.json")));
            assertEquals(sources.get(name), restoredChecksums(name), "restored " + name + " differs from its source");
        }
    }

    @Test
    @Order(4)
    void clusterIncrementalBuildsOnEachTenantsLastSet() throws Exception {
        for (String name : TENANTS) {
            sql(name, "UPDATE app.t SET v = CONCAT(v, '-changed') WHERE id <= 200",
                    "INSERT INTO app.t VALUES (100000, 'after the full')");
        }
        Map<String, Map<String, Long>> sources = sourceChecksums();
        // the Go SDK's body: unset members are null
        JsonPath dag = clusterBackup("{\"mode\":\"incremental\",\"plus_archive\":null,\"encryption\":null}",
                "Obcluster start increment backup");
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        for (String name : TENANTS) {
            api().get("/api/v1/tenant/" + name + "/backup/tasks?sort=start_timestamp,desc").then().statusCode(200)
                    .body("data.contents[0].backup_type", equalTo("INC"))
                    .body("data.contents[0].status", equalTo("COMPLETED"));
        }
        assertEquals(sources.get("cb2"), restoredChecksums("cb2"), "full + incremental of cb2 restore to its source");
    }

    @Test
    @Order(5)
    void archiveLogStopAndDoingForEveryTenant() {
        // the Go SDK's default body: status null means STOP
        api().body("{\"status\":null}").patch(LOG).then().statusCode(200);
        assertArchiveStatus("STOP");
        api().body(Map.of("status", "doing")).patch(LOG).then().statusCode(200);
        assertArchiveStatus("DOING");
        api().body(Map.of("status", "")).patch(LOG).then().statusCode(200);
        assertArchiveStatus("STOP");
    }

    @Test
    @Order(6)
    void cancelDuringAClusterBackupLeavesNoSetVisible() throws Exception {
        Map<String, List<String>> setsBefore = setDirectories();
        String dagId = api().body("{\"mode\":\"full\"}").post(BACKUP).then().statusCode(200).extract().path("data.id");
        awaitClusterTenantRunning(dagId);
        api().body("{\"status\":\"\"}").patch(BACKUP).then().statusCode(200);
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        assertEquals("CANCEL", dag.getString("operator"), dag::prettify);
        for (String name : TENANTS) {
            String newest = api().get("/api/v1/tenant/" + name + "/backup/overview").then().statusCode(200)
                    .extract().path("data.status.status");
            assertTrue(List.of("COMPLETED", "CANCELED").contains(newest), name + ": " + newest);
        }
        List<Map<String, Object>> statuses = overview();
        assertTrue(statuses.stream().anyMatch(status -> "CANCELED".equals(status.get("status"))), statuses::toString);
        statuses.stream().filter(status -> "CANCELED".equals(status.get("status"))).forEach(status ->
                assertFalse(Files.exists(Path.of(((String) status.get("path")).substring("file://".length()))),
                        "files of the cancelled set remain: " + status));
        assertEquals(setsBefore, setDirectories(), "the cancelled cluster backup left a set behind");
    }

    @Test
    @Order(7)
    void aTenantKilledDuringAClusterBackupFailsAloneAndTheOthersComplete() throws Exception {
        String dagId = api().body("{\"mode\":\"full\"}").post(BACKUP).then().statusCode(200).extract().path("data.id");
        awaitClusterTenantRunning(dagId);
        kill("cb3");
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        List<String> logs = dag.getList("nodes[0].sub_tasks[0].task_logs");
        String last = logs.get(logs.size() - 1);
        assertTrue(last.startsWith("ERROR: [OB.Backup.TenantBackupFailed]: Backup of 1 of 3 tenant(s) failed: cb3: FAILED"
                + " in 'Open archive log': ERROR: Communications link failure"), last);
        assertTrue(last.endsWith("; completed: cb1, cb2") || last.endsWith("; completed: cb2, cb1"), last);
        Map<String, String> results = dag.getMap("nodes[0].sub_tasks[0].additional_data");
        assertTrue(results.get("backup.cb1").startsWith("COMPLETED"), results::toString);
        assertTrue(results.get("backup.cb2").startsWith("COMPLETED"), results::toString);
        assertTrue(results.get("backup.cb3").startsWith("FAILED"), results::toString);
        List<Map<String, Object>> statuses = overview();
        assertEquals("COMPLETED", statusOf(statuses, "cb1").get("status"));
        assertEquals("COMPLETED", statusOf(statuses, "cb2").get("status"));
        assertEquals("FAILED", statusOf(statuses, "cb3").get("status"));
    }

    /** Teardown as the last test: Quarkus sets rest-assured's port only around test methods. */
    @Test
    @Order(8)
    void dropTheTenants() {
        for (String name : TENANTS) {
            if (api().get("/api/v1/tenant/" + name).statusCode() == 200) {
                dropTenant(name);
            }
        }
    }

    private JsonPath clusterBackup(String body, String dagName) {
        String dagId = api().body(body).post(BACKUP).then().statusCode(200).body("data.name", equalTo(dagName))
                .body("data.state", equalTo("READY")).extract().path("data.id");
        return awaitDag(dagId);
    }

    private void assertArchiveStatus(String expected) {
        for (String name : TENANTS) {
            api().get("/api/v1/tenant/" + name + "/backup/log/tasks").then().statusCode(200)
                    .body("data.contents[0].status", equalTo(expected))
                    .body("data.contents[0].path", equalTo(baseUri() + "/" + cluster.id() + "/" + ids.get(name) + "/clog"));
        }
    }

    private List<Map<String, Object>> overview() {
        return api().get(OVERVIEW).then().statusCode(200).extract().path("data.statuses");
    }

    private Map<String, Object> statusOf(List<Map<String, Object>> statuses, String name) {
        return statuses.stream().filter(status -> ((Number) status.get("tenant_id")).longValue() == ids.get(name))
                .findFirst().orElseThrow(() -> new AssertionError("no status of " + name + " in " + statuses));
    }

    /** Restores the tenant's destination as a new tenant through the API and returns its checksums. */
    private Map<String, Long> restoredChecksums(String name) throws Exception {
        String restored = name + "r";
        String dagId = api().body(Map.of("data_backup_uri", dataUri(name), "restore_tenant_name", restored))
                .post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        int port = api().get("/api/v1/tenant/" + restored).then().statusCode(200).extract().path("data.connection.port");
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            return TableChecksums.of(connection);
        } finally {
            dropTenant(restored);
        }
    }

    private Map<String, Map<String, Long>> sourceChecksums() throws Exception {
        Map<String, Map<String, Long>> checksums = new HashMap<>();
        for (String name : TENANTS) {
            try (Connection connection = connectAsRoot(ports.get(name), ROOT_PASSWORD)) {
                checksums.put(name, TableChecksums.of(connection));
            }
        }
        return checksums;
    }

    /** The backup set directories in each tenant's data destination. */
    private Map<String, List<String>> setDirectories() throws Exception {
        Map<String, List<String>> sets = new HashMap<>();
        for (String name : TENANTS) {
            try (Stream<Path> entries = Files.list(dataDir(name))) {
                sets.put(name, entries.map(path -> path.getFileName().toString()).sorted().toList());
            }
        }
        return sets;
    }

    private void kill(String name) {
        new MariaDbServer(new MariaDbLayout(config.dataDir().resolve(name))).pid()
                .flatMap(ProcessHandle::of).ifPresent(process -> {
                    process.destroyForcibly();
                    process.onExit().join();
                });
    }

    private void sql(String name, String... statements) throws Exception {
        try (Connection connection = connectAsRoot(ports.get(name), ROOT_PASSWORD);
             Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    private static String goConfig(String baseUri) {
        return "{\"backup_base_uri\":\"" + baseUri + "\",\"log_archive_concurrency\":null,\"binding\":null,"
                + "\"ha_low_thread_score\":null,\"piece_switch_interval\":null,\"archive_lag_target\":null,"
                + "\"delete_policy\":null}";
    }

    private String baseUri() {
        return "file://" + base;
    }

    private String dataUri(String name) {
        return baseUri() + "/" + cluster.id() + "/" + ids.get(name) + "/data";
    }

    private Path dataDir(String name) {
        return base.resolve(cluster.id() + "/" + ids.get(name) + "/data");
    }
}
