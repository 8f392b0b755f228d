package io.tenantbackup.storage;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.task.GenericId;
import io.tenantbackup.testing.S3ProxyServer;
import io.tenantbackup.testing.TableChecksums;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 end to end: a tenant backed up to a real S3 server (s3proxy over HTTP, SigV4) and restored from it to a
 * timestamp, path-style and virtual-host; the faults a user meets on object storage; and no access key anywhere but
 * the stored config.
 */
@QuarkusTest
@TestProfile(S3Profile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3BackupRestoreApiTest {

    private static final String SOURCE = "s3t";
    private static final String ROOT_PASSWORD = "s3t-root";
    private static final String BUCKET = "tbt-e2e";
    private static final String SET_PASSWORD = "s3-set-pass+1";

    @Inject
    ServiceConfig config;

    @Inject
    AgroalDataSource metadata;

    private int port;
    private int nextId = 1_000_000;
    private final List<String> responses = new ArrayList<>();
    private final List<String> restored = new ArrayList<>();

    @BeforeEach
    void sourceWithData() throws Exception {
        if (port != 0) {
            return;
        }
        for (String name : List.of(SOURCE, "s3tp", "s3tv", "s3ts")) {
            removeLeftovers(config.dataDir(), name);
        }
        assertEquals(S3Profile.proxy().url(), org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue(S3Clients.PROXY_SETTING, String.class), "the service uses the proxy this test controls");
        S3Profile.main().createBucket(BUCKET);
        S3Profile.unstable().createBucket(BUCKET);
        port = createTenant(SOURCE, ROOT_PASSWORD).getInt("connection.port");
        // 40 MiB that does not compress: the data file takes 3 parts of a multipart upload
        sql("CREATE DATABASE shop", "USE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY, note VARCHAR(64), blob_ BLOB) ENGINE=InnoDB",
                "INSERT INTO shop.items SELECT seq, CONCAT('item-', seq), RANDOM_BYTES(1024) FROM seq_1_to_40000");
    }

    @Test
    @Order(1)
    void wrongCredentialsFailTheConfigCheckSayingSoWithoutTheKey() {
        String wrong = uri(S3Profile.main(), "wrong").replace(S3ProxyServer.ACCESS_KEY, "Wrong+Key/Value");
        JsonPath dag = configure(wrong, uri(S3Profile.main(), "archive"));
        assertEquals("FAILED", dag.getString("state"));
        String log = String.join("\n", dag.getList("nodes[0].sub_tasks[0].task_logs", String.class));
        assertTrue(log.contains("access_id or access_key is wrong"), log);
        assertFalse(dag.prettify().contains("Wrong+Key"), dag.prettify());
    }

    @Test
    @Order(2)
    void aMissingBucketFailsTheConfigCheckNamingIt() {
        JsonPath dag = configure(uri(S3Profile.main(), "x").replace("s3://" + BUCKET + "/", "s3://no-such-bucket/"),
                uri(S3Profile.main(), "archive"));
        assertEquals("FAILED", dag.getString("state"));
        String log = String.join("\n", dag.getList("nodes[0].sub_tasks[0].task_logs", String.class));
        assertTrue(log.contains("bucket 'no-such-bucket' does not exist"), log);
    }

    @Test
    @Order(3)
    void fullWithA503OnOnePartThenIncrementalThenArchiveThenRestoreToATimestampPathStyle() throws Exception {
        JsonPath configured = configure(uri(S3Profile.main(), "data"), uri(S3Profile.main(), "archive"));
        assertEquals("SUCCEED", configured.getString("state"), configured::prettify);
        String storage = get("/api/v1/tenant/" + SOURCE + "/backup/config/storage");
        assertTrue(storage.contains("s3://" + BUCKET + "/" + SOURCE + "/data?host="), storage);
        assertFalse(storage.contains("access_id"), storage);

        S3Profile.proxy().failNext(1, request -> request.method().equals("PUT") && request.target().contains("partNumber=2"));
        backup("{\"mode\":\"full\"}");
        assertEquals(1, S3Profile.proxy().faultsInjected(), "a part was answered 503 and retried");
        write();
        backup("{\"mode\":\"incremental\"}");
        String tasks = get("/api/v1/tenant/" + SOURCE + "/backup/tasks");
        assertTrue(tasks.contains("s3://" + BUCKET + "/" + SOURCE + "/data/backup_set_"), tasks);

        write();
        sleep(1100);
        Map<String, Long> atTarget = checksums(port);
        Instant target = Instant.now();
        sleep(1100);
        write();
        awaitArchived();
        restore("s3tp", uri(S3Profile.main(), "data"), uri(S3Profile.main(), "archive"),
                Map.of("timestamp", target.toString()));
        assertEquals(atTarget, checksums(tenantPort("s3tp")));
        String overview = get("/api/v1/tenant/s3tp/restore/overview");
        assertTrue(overview.contains("s3://" + BUCKET), overview);
        String windows = api().body(Map.of("data_backup_uri", uri(S3Profile.main(), "data"),
                "archive_log_uri", uri(S3Profile.main(), "archive"))).get("/api/v1/restore/windows").then()
                .statusCode(200).extract().asString();
        responses.add(windows);
    }

    @Test
    @Order(4)
    void theSameBackupsRestoreToATimestampWithVirtualHostAddressing() throws Exception {
        Map<String, Long> atTarget = checksums(port);
        Instant target = Instant.now();
        sleep(1100);
        write();
        awaitArchived();
        int before = S3Profile.proxy().requests().size();
        restore("s3tv", S3Profile.main().virtualHostUri(BUCKET, SOURCE + "/data"),
                S3Profile.main().virtualHostUri(BUCKET, SOURCE + "/archive"), Map.of("timestamp", target.toString()));
        assertEquals(atTarget, checksums(tenantPort("s3tv")));
        assertTrue(S3Profile.proxy().requests().subList(before, S3Profile.proxy().requests().size()).stream()
                .anyMatch(request -> request.host().startsWith(BUCKET + ".localhost:")), "virtual-host requests");
    }

    /**
     * An encrypted plus_archive incremental on S3 (stored encrypted, carrying its binlog), restored from S3 to an scn
     * past it with its password: the archived binlog continues the set.
     */
    @Test
    @Order(5)
    void anEncryptedPlusArchiveIncrementalRestoresToAnScn() throws Exception {
        write();
        backup("{\"mode\":\"incremental\",\"plus_archive\":true,\"encryption\":\"" + SET_PASSWORD + "\"}");
        long setId = api().get("/api/v1/tenant/" + SOURCE + "/backup/overview").then().extract().jsonPath()
                .getLong("data.status.backup_set_id");
        String setKey = SOURCE + "/data/backup_set_" + setId + "_inc/";
        List<String> stored = S3Profile.main().keys(BUCKET).stream().filter(key -> key.startsWith(setKey)).toList();
        assertTrue(stored.contains(setKey + "data.xbstream.zst.enc") && stored.contains(setKey + "manifest.json")
                && stored.stream().anyMatch(key -> key.startsWith(setKey + "binlog/") && key.endsWith(".zst.enc")),
                stored.toString());
        write();
        Map<String, Long> atTarget = checksums(port);
        long scn = seqNoNow();
        write();
        awaitArchived();
        restore("s3ts", uri(S3Profile.main(), "data"), uri(S3Profile.main(), "archive"),
                Map.of("scn", scn, "decryption", List.of(SET_PASSWORD)));
        assertEquals(atTarget, checksums(tenantPort("s3ts")));
    }

    /**
     * A restore without a point, from S3: obshell's newest restorable point, the chain (ending with the encrypted
     * incremental) continued by the whole contiguous archive, so the restored tenant equals the source as archived.
     */
    @Test
    @Order(6)
    void aRestoreWithoutAPointReachesTheNewestArchivedChange() throws Exception {
        write();
        awaitArchived();
        Map<String, Long> archived = checksums(port);
        restore("s3tn", uri(S3Profile.main(), "data"), uri(S3Profile.main(), "archive"),
                Map.of("decryption", List.of(SET_PASSWORD)));
        assertEquals(archived, checksums(tenantPort("s3tn")));
    }

    /**
     * obshell's cancel semantics on S3: PATCH while part 2 of the data file is being retried (the server answers it
     * 503), the DAG ends FAILED with operator CANCEL, the set CANCELED, and the bucket holds neither the set's
     * objects nor an unfinished multipart upload.
     */
    @Test
    @Order(7)
    void cancelByPatchDuringTheUploadLeavesNoSetNoManifestAndNoUnfinishedUpload() {
        S3ProxyServer main = S3Profile.main();
        int faultsBefore = S3Profile.proxy().faultsInjected();
        S3Profile.proxy().failNext(4, request -> request.method().equals("PUT")
                && request.target().contains("/backup_set_") && request.target().contains("partNumber=2"));
        String dagId;
        String setKey;
        try {
            dagId = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + SOURCE + "/backup").then()
                    .statusCode(200).extract().path("data.id");
            setKey = SOURCE + "/data/backup_set_" + api().get("/api/v1/tenant/" + SOURCE + "/backup/overview").then()
                    .extract().jsonPath().getLong("data.status.backup_set_id") + "_full/";
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (S3Profile.proxy().faultsInjected() == faultsBefore) {
                assertTrue(System.nanoTime() < deadline, "part 2 of the data file was never sent");
                sleep(20);
            }
            assertFalse(main.unfinishedUploads(BUCKET).isEmpty(), "the upload is under way");
            api().body("{\"status\":\"canceled\"}").patch("/api/v1/tenant/" + SOURCE + "/backup").then()
                    .statusCode(200);
        } finally {
            S3Profile.proxy().failNext(0, request -> false);
        }
        JsonPath dag = awaitDag(dagId);
        responses.add(dag.prettify());
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        assertEquals("CANCEL", dag.getString("operator"), dag::prettify);
        assertEquals("CANCELED", api().get("/api/v1/tenant/" + SOURCE + "/backup/overview").then().extract()
                .jsonPath().getString("data.status.status"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!main.unfinishedUploads(BUCKET).isEmpty() && System.nanoTime() < deadline) {
            sleep(500);
        }
        assertEquals(List.of(), main.unfinishedUploads(BUCKET));
        String prefix = setKey;
        assertEquals(List.of(), main.keys(BUCKET).stream().filter(key -> key.startsWith(prefix)).toList(),
                "nothing of the cancelled set is left, in particular no manifest.json");
    }

    @Test
    @Order(8)
    void theServerStoppedMidUploadFailsTheBackupWithoutManifestAndLeavesNoUnfinishedUpload() throws Exception {
        S3ProxyServer unstable = S3Profile.unstable();
        JsonPath configured = configure(uri(unstable, "data"), uri(S3Profile.main(), "archive"));
        assertEquals("SUCCEED", configured.getString("state"), configured::prettify);
        String dagId = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + SOURCE + "/backup").then()
                .statusCode(200).extract().path("data.id");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (unstable.unfinishedUploads(BUCKET).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no multipart upload started");
            sleep(20);
        }
        unstable.stop();
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        String log = dag.prettify();
        assertTrue(log.contains("Cannot upload part") || log.contains("Cannot complete the upload")
                || log.contains("Cannot start the upload"), log);
        unstable.start();
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!unstable.unfinishedUploads(BUCKET).isEmpty() && System.nanoTime() < deadline) {
            sleep(500);
        }
        assertEquals(List.of(), unstable.unfinishedUploads(BUCKET));
        assertTrue(unstable.keys(BUCKET).stream().noneMatch(key -> key.endsWith("manifest.json")),
                unstable.keys(BUCKET).toString());
    }

    @Test
    @Order(9)
    void noAccessKeyInResponsesTaskLogsMetricsServiceLogOrDagParameters() throws Exception {
        String key = S3ProxyServer.ACCESS_KEY;
        String dags = get("/api/v1/task/dag/unfinish?show_details=true");
        for (String id : metadataStrings("SELECT id FROM dag")) {
            responses.add(get("/api/v1/task/dag/" + GenericId.encode(Long.parseLong(id)) + "?show_details=true"));
        }
        responses.add(dags);
        responses.add(get("/api/v1/tenant/" + SOURCE + "/backup/overview"));
        responses.add(get("/api/v1/tenant/" + SOURCE + "/backup/log/tasks"));
        responses.add(given().get("/q/metrics").then().extract().asString());
        for (String response : responses) {
            assertFalse(response.contains(key), response);
            assertFalse(response.contains(SET_PASSWORD), response);
            assertFalse(response.contains(S3ProxyServer.ACCESS_ID), response);
        }
        String serviceLog = Files.readString(S3Profile.SERVICE_LOG);
        assertTrue(serviceLog.contains("s3://"), "the log does mention the destinations");
        assertFalse(serviceLog.contains(key), "access key in the service log");
        assertFalse(serviceLog.contains(S3ProxyServer.ACCESS_ID), "access id in the service log");
        for (String text : metadataStrings("SELECT params FROM dag UNION ALL SELECT log_content FROM task_log UNION ALL SELECT path FROM backup_set UNION ALL SELECT path FROM archive_log")) {
            assertFalse(text.contains(key) || text.contains(S3ProxyServer.ACCESS_ID), text);
        }
        assertTrue(metadataStrings("SELECT data_base_uri FROM backup_config").get(0).contains(key),
                "the stored config keeps the key");
    }

    @Test
    @Order(99)
    void dropTheTenants() {
        restored.forEach(name -> dropTenant(name));
        dropTenant(SOURCE);
    }

    private String uri(S3ProxyServer server, String what) {
        return server.pathStyleUri(BUCKET, SOURCE + "/" + what);
    }

    private JsonPath configure(String data, String archive) {
        String dagId = api().body(Map.of("data_base_uri", data, "archive_base_uri", archive, "archive_lag_target", "1m"))
                .post("/api/v1/tenant/" + SOURCE + "/backup/config").then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        responses.add(dag.prettify());
        return dag;
    }

    private void backup(String body) {
        JsonPath dag = awaitDag(api().body(body).post("/api/v1/tenant/" + SOURCE + "/backup").then().statusCode(200)
                .extract().path("data.id"));
        responses.add(dag.prettify());
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
    }

    /** Restores as {@code tenant} to {@code point} ({@code timestamp} or {@code scn}, and passwords if needed). */
    private void restore(String tenant, String data, String archive, Map<String, Object> point) {
        Map<String, Object> body = new HashMap<>(point);
        body.putAll(Map.of("data_backup_uri", data, "archive_log_uri", archive, "restore_tenant_name", tenant));
        String dagId = api().body(body)
                .post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        responses.add(dag.prettify());
        restored.add(tenant);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
    }

    private String get(String path) {
        String body = api().get(path).then().statusCode(200).extract().asString();
        responses.add(body);
        return body;
    }

    private int tenantPort(String tenant) {
        return api().get("/api/v1/tenant/" + tenant).then().statusCode(200).extract().path("data.connection.port");
    }

    private void write() throws Exception {
        for (int i = 0; i < 3; i++) {
            int id = nextId++;
            sql("INSERT INTO shop.items VALUES (" + id + ", 'written-" + id + "', NULL)");
        }
    }

    /** FLUSH BINARY LOGS, then waits until an archived piece reaches the source's GTID position. */
    private void awaitArchived() throws Exception {
        sql("FLUSH BINARY LOGS");
        long wanted = seqNoNow();
        BackupStorage archive = Storages.open(uri(S3Profile.main(), "archive"));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            for (BackupStorage.Entry round : archive.list("")) {
                for (BackupStorage.Entry piece : archive.list(round.name())) {
                    String name = round.name() + "/" + piece.name() + "/manifest.json";
                    if (archive.size(name).isEmpty()) {
                        continue;
                    }
                    String manifest = BackupStorageContract.read(archive, name);
                    for (String end : manifest.split("\"end_gtid_pos\" *: *\"")) {
                        if (end.matches("(?s)\\d+-\\d+-\\d+\".*") && seqNo(end.substring(0, end.indexOf('"'))) >= wanted) {
                            return;
                        }
                    }
                }
            }
            sleep(500);
        }
        throw new AssertionError("The archive did not reach GTID seq_no " + wanted + " within 90 s");
    }

    /** The source's GTID seq_no now: the scn of its current state. */
    private long seqNoNow() throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            return seqNo(row.getString(1));
        }
    }

    /** The sequence number of a single-domain GTID position {@code 0-1-42}. */
    private static long seqNo(String position) {
        return Long.parseLong(position.substring(position.lastIndexOf('-') + 1).trim());
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    private static Map<String, Long> checksums(int port) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            return TableChecksums.of(connection);
        }
    }

    private List<String> metadataStrings(String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = metadata.getConnection(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1) == null ? "" : rows.getString(1));
            }
        }
        return values;
    }
}
