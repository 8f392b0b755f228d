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
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's disaster case with the packaged service, across the archive's encryption changes: service A (its own
 * metadata database) archives a tenant's binlog in clear (round 1), is restarted with an archive passphrase (round 2
 * takes over, encrypted) and again with a new one (round 3, rotated); A is then stopped and its metadata database
 * dropped. Service B, a fresh process with an empty metadata database, another data directory and no archive setting,
 * restores the tenant to a timestamp in round 3 from the destination and the two passphrases alone, replaying all
 * three rounds; with only the newest passphrase it refuses, naming round 2.
 */
class ArchiveDisasterRestoreIT {

    private static final String TENANT = "dis1";
    private static final String RESTORED = "dis1r";
    private static final String ROOT_PASSWORD = "dis-root-pw";
    private static final String OLD_PASSPHRASE = "dis-archive-passphrase-8a41";
    private static final String NEW_PASSPHRASE = "dis-archive-passphrase-rotated-55c0";
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
                WORK.resolve("service-a.log"));
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
        sql(port, "UPDATE shop.items SET note = 'round 1, in clear' WHERE id <= 100");
        awaitArchived(port, dest.resolve("archive"), 1);
        assertFalse(ArchivedBinlogs.manifests(dest.resolve("archive"), 1).get(0).encrypted());

        restartA(OLD_PASSPHRASE);
        sql(port, "UPDATE shop.items SET note = 'round 2, encrypted' WHERE id BETWEEN 101 AND 200");
        awaitArchived(port, dest.resolve("archive"), 2);
        assertTrue(ArchivedBinlogs.manifests(dest.resolve("archive"), 2).get(0).encrypted());

        restartA(NEW_PASSPHRASE);
        sql(port, "INSERT INTO shop.items VALUES (9001, 'round 3, rotated passphrase')");
        sleep(1100);
        Map<String, Long> atTarget = checksums(port);
        Instant target = Instant.now();
        sleep(1100);
        sql(port, "DELETE FROM shop.items WHERE id <= 1000");
        awaitArchived(port, dest.resolve("archive"), 3);
        assertTrue(ArchivedBinlogs.manifests(dest.resolve("archive"), 3).get(0).encrypted());

        serviceA.close();
        ServiceProcess.recreateDatabase(DB_A);

        ServiceProcess.recreateDatabase(DB_B);
        serviceB = new ServiceProcess(WORK.resolve("b"), TestTenant.freePort(), "jdbc:mysql://127.0.0.1:3306/" + DB_B,
                WORK.resolve("service-b.log"));
        serviceB.start();
        use(serviceB);
        api().body(Map.of("data_backup_uri", "file://" + dest.resolve("data"),
                        "archive_log_uri", "file://" + dest.resolve("archive"), "restore_tenant_name", RESTORED,
                        "timestamp", target.toString(), "decryption", List.of(NEW_PASSPHRASE)))
                .post("/api/v1/tenant/restore").then().statusCode(400)
                .body("error.message", containsString("archive round 2"));
        String dagId = api().body(Map.of("data_backup_uri", "file://" + dest.resolve("data"),
                        "archive_log_uri", "file://" + dest.resolve("archive"), "restore_tenant_name", RESTORED,
                        "timestamp", target.toString(), "decryption", List.of(NEW_PASSPHRASE, OLD_PASSPHRASE)))
                .post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        assertEquals(atTarget, checksums(TenantApiClient.port(RESTORED)));
        TenantApiClient.dropTenant(RESTORED);
    }

    /** Service A stopped and started again with {@code passphrase}: its archiver begins a new round. */
    private static void restartA(String passphrase) throws Exception {
        serviceA.close();
        serviceA.with("TENANT_BACKUP_ARCHIVE_PASSPHRASE", passphrase);
        serviceA.start();
    }

    /** Rotates the tenant's binlog and waits until round {@code round} of the archive reaches its GTID position. */
    private static void awaitArchived(int port, Path archive, long round) throws Exception {
        sql(port, "FLUSH BINARY LOGS");
        String position = gtidBinlogPos(port);
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!ArchivedBinlogs.archivedUpTo(archive, round).equals(position)) {
            assertTrue(System.nanoTime() < deadline, "round " + round + " of the archive never reached GTID " + position);
            sleep(250);
        }
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
