package io.tenantbackup.restore;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.testing.ManagementInterface;
import io.tenantbackup.testing.ByteSearch;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.checksumsAsRoot;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static io.tenantbackup.api.TenantApiClient.sqlAsRoot;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14 end to end: the archive of a tenant is DOING with the archive passphrase set; rows written after the
 * backup (carrying a marker) are archived encrypted and a restore to a timestamp with the passphrase among the
 * decryption passwords equals the source; no archived file holds the marker or the binlog magic; a wrong or missing
 * passphrase is a 400 before any DAG; a flipped byte in a piece fails the restore naming the file.
 */
@QuarkusTest
@TestProfile(EncryptedArchiveProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncryptedArchiveRestoreTest {

    private static final String SOURCE = "ea1";
    private static final String ROOT_PASSWORD = "ea1-root";
    private static final String MARKER = "ea-marker-row-5b2d";
    private static final String RESTORE = "/api/v1/tenant/restore";
    private static final String PASSPHRASE = EncryptedArchiveProfile.PASSPHRASE;

    @Inject
    ServiceConfig config;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private Path destinations;
    private int port;
    private int nextId = 100_000;
    private Map<String, Long> atTarget;
    private Instant target;
    private final List<String> responses = new ArrayList<>();

    @BeforeEach
    void sourceArchivingEncrypted() throws Exception {
        if (port != 0) {
            return;
        }
        for (String name : List.of(SOURCE, "ea1r", "ea1x", "ea1c")) {
            removeLeftovers(config.dataDir(), name);
        }
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-ea-dest");
        TestTenant.deleteTree(destinations);
        port = createTenant(SOURCE, ROOT_PASSWORD).getInt("connection.port");
        sql("CREATE DATABASE shop", "USE shop",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, note VARCHAR(64)) ENGINE=InnoDB",
                "INSERT INTO shop.items SELECT seq, CONCAT('item-', seq) FROM seq_1_to_2000");
        String dagId = api().body(Map.of("data_base_uri", "file://" + destinations.resolve("data"),
                        "archive_base_uri", "file://" + destinations.resolve("archive"), "archive_lag_target", "2s"))
                .post("/api/v1/tenant/" + SOURCE + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
    }

    @Test
    @Order(1)
    void rowsWrittenAfterTheBackupAreArchivedEncrypted() throws Exception {
        JsonPath backup = awaitDag(api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + SOURCE + "/backup")
                .then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", backup.getString("state"), backup::prettify);
        write();
        sleep(1100);
        atTarget = checksums(port);
        target = Instant.now();
        sleep(1100);
        write();
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
        }

        List<Path> stored;
        try (Stream<Path> files = Files.walk(destinations.resolve("archive"))) {
            stored = files.filter(Files::isRegularFile).toList();
        }
        assertTrue(stored.stream().anyMatch(file -> file.toString().endsWith(".zst.enc")), stored::toString);
        for (Path file : stored) {
            byte[] bytes = Files.readAllBytes(file);
            assertFalse(ByteSearch.contains(bytes, MARKER.getBytes(StandardCharsets.US_ASCII)), "marker in " + file);
            assertFalse(ByteSearch.contains(bytes, PASSPHRASE.getBytes(StandardCharsets.UTF_8)), "passphrase in " + file);
            if (!file.getFileName().toString().equals("manifest.json")) {
                assertTrue(file.toString().endsWith(".zst.enc"), file + " is not stored encrypted");
                assertFalse(ByteSearch.contains(bytes, ByteSearch.BINLOG_MAGIC), "binlog magic in " + file);
            }
        }
        api().get("/api/v1/tenant/" + SOURCE + "/backup/config/storage").then().statusCode(200)
                .body("data.archive_encrypted", equalTo(true));
        String scrape = ManagementInterface.metrics(management);
        assertTrue(scrape.lines().anyMatch(line -> line.startsWith("tenant_backup_archive_status")
                && line.contains("tenant=\"" + SOURCE + "\"") && line.contains("encrypted=\"true\"")), scrape);
    }

    @Test
    @Order(2)
    void aWrongOrMissingPassphraseIsRefusedBeforeAnyDagSayingTheArchiveIsEncrypted() {
        int unfinished = TenantApiClient.unfinishedDagCount();
        for (List<String> decryption : List.of(List.<String>of(), List.of("not-the-passphrase"))) {
            String message = badRequest().body(restoreBody("ea1x", decryption)).post(RESTORE).then().statusCode(400)
                    .body("error.errCode", equalTo("OB.Restore.Decryption.Failed"))
                    .body("error.message", allOf(containsString("archived binlog is encrypted"),
                            containsString("archive round 1")))
                    .extract().path("error.message");
            assertFalse(message.contains("not-the-passphrase"), message);
        }
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
        badRequest().get("/api/v1/tenant/ea1x").then().statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"));
        badRequest().body(Map.of("data_backup_uri", "file://" + destinations.resolve("data"),
                        "archive_log_uri", "file://" + destinations.resolve("archive"),
                        "decryption", List.of("not-the-passphrase"))).get("/api/v1/restore/windows").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Restore.Decryption.Failed"));
        api().body(Map.of("data_backup_uri", "file://" + destinations.resolve("data"),
                        "archive_log_uri", "file://" + destinations.resolve("archive"),
                        "decryption", List.of(PASSPHRASE))).get("/api/v1/restore/windows").then()
                .statusCode(200).body("data.restore_windows.size()", equalTo(1));
    }

    @Test
    @Order(3)
    void aRestoreToATimestampWithThePassphraseEqualsTheSource() throws Exception {
        String dagId = api().body(restoreBody("ea1r", List.of("not-the-passphrase", PASSPHRASE))).post(RESTORE).then()
                .statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        responses.add(dag.prettify());
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        assertEquals(atTarget, checksums(TenantApiClient.port("ea1r")));
    }

    @Test
    @Order(4)
    void aFlippedByteInAPieceFailsTheRestoreNamingThePiece() throws Exception {
        Path copy = destinations.resolve("archive-flipped");
        List<Path> pieces = new ArrayList<>();
        try (Stream<Path> files = Files.walk(destinations.resolve("archive"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path to = copy.resolve(destinations.resolve("archive").relativize(file));
                Files.createDirectories(to.getParent());
                Files.copy(file, to);
                if (to.toString().endsWith(".zst.enc")) {
                    pieces.add(to);
                }
            }
        }
        for (Path piece : pieces) {
            byte[] bytes = Files.readAllBytes(piece);
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(piece, bytes);
        }
        String dagId = api().body(Map.of("data_backup_uri", "file://" + destinations.resolve("data"),
                        "archive_log_uri", "file://" + copy, "restore_tenant_name", "ea1c",
                        "timestamp", target.toString(), "decryption", List.of(PASSPHRASE))).post(RESTORE).then()
                .statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        responses.add(dag.prettify());
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        assertTrue(dag.prettify().matches("(?s).*round_1/piece_\\d+/mysql-bin\\.\\d+\\.zst\\.enc.*"), dag::prettify);
        badRequest().get("/api/v1/tenant/ea1c").then().statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"));
    }

    @Test
    @Order(5)
    void thePassphraseAppearsInNoResponseAndNoLog() throws Exception {
        responses.add(api().get("/api/v1/task/dag/unfinish?show_details=true").then().extract().asString());
        responses.add(api().get("/api/v1/tenant/" + SOURCE + "/backup/log/tasks").then().extract().asString());
        for (String response : responses) {
            assertFalse(response.contains(PASSPHRASE), response);
        }
        String log = Files.readString(Path.of(EncryptedArchiveProfile.LOG_FILE));
        assertTrue(log.contains("encrypted"), "the log says the archive is encrypted");
        assertFalse(log.contains(PASSPHRASE), "passphrase in the service log");
    }

    @Test
    @Order(99)
    void dropTheTenants() throws Exception {
        for (String tenant : List.of("ea1r", SOURCE)) {
            dropTenant(tenant);
        }
        TestTenant.deleteTree(destinations);
    }

    private Map<String, Object> restoreBody(String tenant, List<String> decryption) {
        return Map.of("data_backup_uri", "file://" + destinations.resolve("data"),
                "archive_log_uri", "file://" + destinations.resolve("archive"), "restore_tenant_name", tenant,
                "timestamp", target.toString(), "decryption", decryption);
    }

    private void write() throws Exception {
        for (int i = 0; i < 5; i++) {
            int id = nextId++;
            sql("INSERT INTO shop.items VALUES (" + id + ", '" + MARKER + "-" + id + "')");
        }
    }

    private void sql(String... statements) throws Exception {
        sqlAsRoot(port, ROOT_PASSWORD, statements);
    }

    private static Map<String, Long> checksums(int port) throws Exception {
        return checksumsAsRoot(port, ROOT_PASSWORD);
    }
}
