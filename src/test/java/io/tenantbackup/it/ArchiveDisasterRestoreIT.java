package io.tenantbackup.it;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.archive.ArchivedBinlogs;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.checksumsAsRoot;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static io.tenantbackup.api.TenantApiClient.sqlAsRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's disaster case with the packaged service: service A (its own metadata database, the archive passphrase
 * in its environment) backs a tenant up and archives its binlog encrypted; A is stopped and its metadata database
 * dropped. Service B, a fresh process with an empty metadata database, another data directory and no archive
 * setting, restores the tenant to a timestamp from the destination and the passphrase alone.
 */
class ArchiveDisasterRestoreIT {

    private static final String TENANT = "dis1";
    private static final String RESTORED = "dis1r";
    private static final String ROOT_PASSWORD = "dis-root-pw";
    private static final String PASSPHRASE = "dis-archive-passphrase-8a41";
    private static final Path WORK = Path.of("/tmp/tbt-archivecrypt-it");
    private static final String DB_A = "tenant_backup_it_archivecrypt_a";
    private static final String DB_B = "tenant_backup_it_archivecrypt_b";

    private static ServiceProcess serviceA;
    private static ServiceProcess serviceB;

    @AfterAll
    static void cleanUp() throws Exception {
        if (serviceB != null) {
            serviceB.close();
        }
        if (serviceA != null) {
            serviceA.close();
        }
        TenantApiClient.removeLeftovers(WORK.resolve("a"), TENANT);
        TenantApiClient.removeLeftovers(WORK.resolve("b"), RESTORED);
        TestTenant.deleteTree(WORK);
        RestAssured.reset();
    }

    @Test
    void aFreshServiceWithAnEmptyMetadataDatabaseRestoresFromTheDestinationAndThePassphrase() throws Exception {
        TenantApiClient.removeLeftovers(WORK.resolve("a"), TENANT);
        TenantApiClient.removeLeftovers(WORK.resolve("b"), RESTORED);
        TestTenant.deleteTree(WORK);
        Files.createDirectories(WORK);
        Path dest = WORK.resolve("dest");

        ServiceProcess.recreateDatabase(DB_A);
        serviceA = new ServiceProcess(WORK.resolve("a"), TestTenant.freePort(), "jdbc:mysql://127.0.0.1:3306/" + DB_A,
                WORK.resolve("service-a.log")).with("TENANT_BACKUP_ARCHIVE_PASSPHRASE", PASSPHRASE);
        serviceA.start();
        use(serviceA);
        int port = createTenant(TENANT, ROOT_PASSWORD).getInt("connection.port");
        sql(port, "CREATE DATABASE shop", "USE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY, note VARCHAR(64)) ENGINE=InnoDB",
                "INSERT INTO shop.items SELECT seq, CONCAT('item-', seq) FROM seq_1_to_5000");
        String configDag = api().body(Map.of("data_base_uri", "file://" + dest.resolve("data"),
                        "archive_base_uri", "file://" + dest.resolve("archive"), "archive_lag_target", "2s"))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(configDag).getString("state"));
        JsonPath backup = awaitDag(api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup")
                .then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", backup.getString("state"), backup::prettify);
        sql(port, "UPDATE shop.items SET note = 'after the backup' WHERE id <= 100",
                "INSERT INTO shop.items VALUES (9001, 'archived only')");
        sleep(1100);
        Map<String, Long> atTarget = checksums(port);
        Instant target = Instant.now();
        sleep(1100);
        sql(port, "DELETE FROM shop.items WHERE id <= 1000", "FLUSH BINARY LOGS");
        String position = gtidBinlogPos(port);
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!ArchivedBinlogs.archivedUpTo(dest.resolve("archive"), 1).equals(position)) {
            assertTrue(System.nanoTime() < deadline, "the archive never reached GTID " + position);
            sleep(250);
        }
        assertTrue(ArchivedBinlogs.manifests(dest.resolve("archive"), 1).get(0).encrypted());

        serviceA.close();
        ServiceProcess.recreateDatabase(DB_A);

        ServiceProcess.recreateDatabase(DB_B);
        serviceB = new ServiceProcess(WORK.resolve("b"), TestTenant.freePort(), "jdbc:mysql://127.0.0.1:3306/" + DB_B,
                WORK.resolve("service-b.log"));
        serviceB.start();
        use(serviceB);
        api().body(Map.of("data_backup_uri", "file://" + dest.resolve("data"),
                        "archive_log_uri", "file://" + dest.resolve("archive"), "restore_tenant_name", RESTORED,
                        "timestamp", target.toString(), "decryption", List.of()))
                .post("/api/v1/tenant/restore").then().statusCode(400);
        String dagId = api().body(Map.of("data_backup_uri", "file://" + dest.resolve("data"),
                        "archive_log_uri", "file://" + dest.resolve("archive"), "restore_tenant_name", RESTORED,
                        "timestamp", target.toString(), "decryption", List.of(PASSPHRASE)))
                .post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        assertEquals(atTarget, checksums(TenantApiClient.port(RESTORED)));
        TenantApiClient.dropTenant(RESTORED);
    }

    private static void use(ServiceProcess service) {
        RestAssured.baseURI = service.baseUri();
        RestAssured.port = -1;
    }

    private static void sql(int port, String... statements) throws Exception {
        sqlAsRoot(port, ROOT_PASSWORD, statements);
    }

    private static Map<String, Long> checksums(int port) throws Exception {
        return checksumsAsRoot(port, ROOT_PASSWORD);
    }

    private static String gtidBinlogPos(int port) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            return row.getString(1);
        }
    }
}
