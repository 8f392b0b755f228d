package io.tenantbackup.restore;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.TenantSnapshot;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.tenantbackup.api.BackupApiClient.backup;
import static io.tenantbackup.api.BackupApiClient.configureBackup;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connect;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.port;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 17, item 2: everything a tenant holds comes back from a full, an incremental and the archive: accounts with
 * passwords, limits, column grants, routine grants and roles (and they can log in and use them), views, procedures,
 * functions, triggers, events, Aria and MyISAM tables, non-default charsets and collations, and the GTID position,
 * which the restored tenant continues. A backup of the restored tenant restores too.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreCompletenessTest {

    private static final String SOURCE = "cp1";
    private static final String RESTORED = "cp1r";
    private static final String RESTORED_AGAIN = "cp1rr";
    private static final String ROOT_PASSWORD = "cp1-root";
    private static final String RESTORE = "/api/v1/tenant/restore";

    @Inject
    ServiceConfig config;

    private Path destinations;
    private int port;
    private Instant target;
    private TenantSnapshot atTarget;
    private final List<String> restoredTenants = new ArrayList<>();

    /** Once, before the first test: RestAssured knows the test port only from then on. */
    @BeforeEach
    void sourceHoldingEverything() throws Exception {
        if (port != 0) {
            return;
        }
        for (String name : List.of(SOURCE, RESTORED, RESTORED_AGAIN)) {
            removeLeftovers(config.dataDir(), name);
        }
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-cp-dest");
        TestTenant.deleteTree(destinations);
        port = createTenant(SOURCE, ROOT_PASSWORD).getInt("connection.port");
        sql(port, "CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci",
                "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(40), qty INT NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, item INT, change_note VARCHAR(60))",
                "CREATE TRIGGER shop.items_bi BEFORE INSERT ON shop.items FOR EACH ROW SET NEW.name = UPPER(NEW.name)",
                "CREATE TRIGGER shop.items_au AFTER UPDATE ON shop.items FOR EACH ROW"
                        + " INSERT INTO shop.audit (item, change_note) VALUES (NEW.id, CONCAT(OLD.qty, '->', NEW.qty))",
                "INSERT INTO shop.items SELECT seq, CONCAT('item ', seq), seq % 7 FROM shop.seq_1_to_2000",
                "CREATE VIEW shop.stock AS SELECT id, name, qty FROM shop.items WHERE qty > 0",
                "CREATE PROCEDURE shop.add_item(IN p_id INT, IN p_name VARCHAR(40))"
                        + " INSERT INTO shop.items VALUES (p_id, p_name, 1)",
                "CREATE FUNCTION shop.item_qty(p_id INT) RETURNS INT READS SQL DATA"
                        + " RETURN (SELECT qty FROM shop.items WHERE id = p_id)",
                "CREATE USER 'app'@'%' IDENTIFIED BY 'app-pass-1' WITH MAX_USER_CONNECTIONS 20",
                "GRANT SELECT, INSERT, UPDATE ON shop.* TO 'app'@'%'",
                "GRANT EXECUTE ON PROCEDURE shop.add_item TO 'app'@'%'",
                "GRANT EXECUTE ON FUNCTION shop.item_qty TO 'app'@'%'",
                "CREATE DEFINER = 'app'@'%' SQL SECURITY DEFINER VIEW shop.totals AS"
                        + " SELECT COUNT(*) AS n, SUM(qty) AS total FROM shop.items",
                "CREATE USER 'report'@'127.0.0.1' IDENTIFIED BY 'report-pass'",
                "GRANT SELECT (id, qty) ON shop.items TO 'report'@'127.0.0.1'",
                "GRANT SELECT ON shop.totals TO 'report'@'127.0.0.1'",
                "CREATE ROLE auditor",
                "GRANT SELECT ON shop.audit TO auditor",
                "GRANT auditor TO 'report'@'127.0.0.1'",
                "SET DEFAULT ROLE auditor FOR 'report'@'127.0.0.1'",
                "CREATE DATABASE intl CHARACTER SET latin1 COLLATE latin1_german2_ci",
                "CREATE TABLE intl.names (id INT PRIMARY KEY, latin VARCHAR(40),"
                        + " utf VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,"
                        + " sjis VARCHAR(40) CHARACTER SET sjis) ENGINE=InnoDB",
                "INSERT INTO intl.names VALUES (1, 'Müller Straße', 'emoji \uD83D\uDE00 ✓', 'テスト')",
                "CREATE TABLE intl.aria_notes (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE=Aria",
                "CREATE TABLE intl.myisam_notes (id INT PRIMARY KEY, note TEXT) ENGINE=MyISAM",
                "INSERT INTO intl.aria_notes SELECT seq, CONCAT('aria ', seq) FROM intl.seq_1_to_300",
                "INSERT INTO intl.myisam_notes SELECT seq, CONCAT('myisam ', seq) FROM intl.seq_1_to_300");
        configureBackup(SOURCE, destinations, "2s");
        backup(SOURCE, "{\"mode\":\"full\"}");
        // After the full: the incremental must carry these.
        sql(port, "ALTER USER 'app'@'%' IDENTIFIED BY 'app-pass-2'",
                "CREATE USER 'late'@'%' IDENTIFIED BY 'late-pass'",
                "GRANT SELECT ON intl.* TO 'late'@'%'",
                "UPDATE shop.items SET qty = qty + 1 WHERE id <= 50",
                "CREATE EVENT shop.nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'"
                        + " DO DELETE FROM shop.audit WHERE id < 0",
                "INSERT INTO intl.aria_notes VALUES (301, 'after the full')",
                "INSERT INTO intl.myisam_notes VALUES (301, 'after the full')");
        backup(SOURCE, "{\"mode\":\"incremental\"}");
        // After the incremental: only the archive carries these.
        sql(port, "REVOKE UPDATE ON shop.* FROM 'app'@'%'",
                "CREATE FUNCTION shop.label(p_id INT) RETURNS VARCHAR(60) CHARACTER SET latin1 DETERMINISTIC"
                        + " RETURN CONCAT('Nr. ', p_id)",
                "CREATE VIEW intl.names_upper AS SELECT id, UPPER(latin) AS latin FROM intl.names",
                "CREATE TRIGGER intl.names_bd BEFORE DELETE ON intl.names FOR EACH ROW"
                        + " INSERT INTO intl.aria_notes VALUES (OLD.id + 1000, 'deleted')",
                "INSERT INTO intl.names VALUES (2, 'Ærø', 'ß', 'カタカナ')",
                "UPDATE shop.items SET qty = qty + 2 WHERE id BETWEEN 100 AND 120",
                "INSERT INTO intl.myisam_notes VALUES (302, 'after the incremental')");
        sleep(1100);
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            atTarget = TenantSnapshot.of(connection);
        }
        target = Instant.now();
        sleep(1100);
        // After the target: none of this may come back.
        sql(port, "DROP USER 'late'@'%'", "DELETE FROM intl.names WHERE id = 2", "DROP VIEW shop.stock",
                "INSERT INTO intl.aria_notes VALUES (303, 'after the target')");
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD)) {
            ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
        }
    }

    @Test
    @Order(1)
    void everythingComesBackAsItWasAtTheTarget() throws Exception {
        restore(SOURCE, destinations, RESTORED, target);
        try (Connection connection = connectAsRoot(port(RESTORED), ROOT_PASSWORD)) {
            TenantSnapshot.assertSame(atTarget, TenantSnapshot.of(connection), RESTORED + " at " + target);
        }
    }

    @Test
    @Order(3)
    void theAccountsLogInAndUseTheirGrants() throws Exception {
        int restored = port(RESTORED);
        assertThrows(SQLException.class, () -> connect(restored, "app", "app-pass-1").close(),
                "the password changed after the full");
        try (Connection app = connect(restored, "app", "app-pass-2"); Statement sql = app.createStatement()) {
            sql.execute("CALL shop.add_item(5000, 'called by app')");
            assertEquals("CALLED BY APP", single(sql, "SELECT name FROM shop.items WHERE id = 5000"),
                    "the trigger ran");
            assertEquals("1", single(sql, "SELECT shop.item_qty(5000)"));
            assertThrows(SQLException.class, () -> sql.execute("UPDATE shop.items SET qty = 0 WHERE id = 5000"),
                    "UPDATE was revoked after the incremental");
        }
        try (Connection report = connect(restored, "report", "report-pass"); Statement sql = report.createStatement()) {
            assertEquals("2001", single(sql, "SELECT n FROM shop.totals"));
            assertEquals("71", single(sql, "SELECT COUNT(*) FROM shop.audit"), "the default role's grant");
            assertEquals("2001", single(sql, "SELECT COUNT(qty) FROM shop.items"));
            assertThrows(SQLException.class, () -> sql.executeQuery("SELECT name FROM shop.items").close(),
                    "the column grant stops at id and qty");
        }
        try (Connection late = connect(restored, "late", "late-pass"); Statement sql = late.createStatement()) {
            assertEquals("Ærø", single(sql, "SELECT latin FROM intl.names WHERE id = 2"));
            assertEquals("テスト", single(sql, "SELECT sjis FROM intl.names WHERE id = 1"));
        }
    }

    @Test
    @Order(2)
    void theRestoredTenantContinuesTheSourcesGtidSequence() throws Exception {
        String sourceGtid = atTarget.gtidBinlogPos();
        try (Connection connection = connectAsRoot(port(RESTORED), ROOT_PASSWORD);
             Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO intl.myisam_notes VALUES (400, 'written on the restored tenant')");
            String domain = sourceGtid.substring(0, sourceGtid.indexOf('-'));
            assertEquals(domain + "-" + single(sql, "SELECT @@server_id") + "-" + (Gtids.seqNo(sourceGtid) + 1),
                    single(sql, "SELECT @@gtid_binlog_pos"), "the next transaction after " + sourceGtid);
        }
    }

    @Test
    @Order(4)
    void aBackupOfTheRestoredTenantRestoresToo() throws Exception {
        Path restoredDestinations = destinations.resolve(RESTORED);
        configureBackup(RESTORED, restoredDestinations, "2s");
        backup(RESTORED, "{\"mode\":\"full\"}");
        int restored = port(RESTORED);
        sql(restored, "INSERT INTO shop.items VALUES (5001, 'after the backup of the restored tenant', 3)",
                "CREATE USER 'later'@'%' IDENTIFIED BY 'later-pass'");
        sleep(1100);
        TenantSnapshot expected;
        try (Connection connection = connectAsRoot(restored, ROOT_PASSWORD)) {
            expected = TenantSnapshot.of(connection);
        }
        Instant restoredTarget = Instant.now();
        sleep(1100);
        sql(restored, "INSERT INTO shop.items VALUES (5002, 'after the second target', 1)");
        try (Connection connection = connectAsRoot(restored, ROOT_PASSWORD)) {
            ArchiveWait.untilArchived(connection, restoredDestinations.resolve("archive"));
        }
        restore(RESTORED, restoredDestinations, RESTORED_AGAIN, restoredTarget);
        try (Connection connection = connectAsRoot(port(RESTORED_AGAIN), ROOT_PASSWORD)) {
            TenantSnapshot.assertSame(expected, TenantSnapshot.of(connection),
                    RESTORED_AGAIN + " at " + restoredTarget);
        }
        connect(port(RESTORED_AGAIN), "later", "later-pass").close();
    }

    /** The comparison above can fail: each kind of difference a restore could make changes the part that holds it. */
    @Test
    @Order(5)
    void theSnapshotSeesEveryKindOfDifference() throws Exception {
        Map<String, Function<TenantSnapshot, Object>> changes = new LinkedHashMap<>();
        changes.put("UPDATE intl.aria_notes SET note = 'changed' WHERE id = 1", TenantSnapshot::checksums);
        changes.put("UPDATE intl.myisam_notes SET note = 'changed' WHERE id = 1", TenantSnapshot::checksums);
        changes.put("CREATE OR REPLACE VIEW shop.stock AS SELECT id, name, qty FROM shop.items WHERE qty > 1",
                TenantSnapshot::schemaObjects);
        changes.put("ALTER EVENT shop.nightly DISABLE", TenantSnapshot::schemaObjects);
        changes.put("DROP TRIGGER intl.names_bd", TenantSnapshot::schemaObjects);
        changes.put("DROP FUNCTION shop.label", TenantSnapshot::schemaObjects);
        changes.put("ALTER TABLE intl.names MODIFY sjis VARCHAR(40) CHARACTER SET utf8mb4", TenantSnapshot::charsets);
        changes.put("ALTER DATABASE intl COLLATE latin1_swedish_ci", TenantSnapshot::charsets);
        changes.put("ALTER USER 'report'@'127.0.0.1' IDENTIFIED BY 'other'", TenantSnapshot::accounts);
        changes.put("REVOKE SELECT ON shop.totals FROM 'report'@'127.0.0.1'", TenantSnapshot::accounts);
        changes.put("SET DEFAULT ROLE NONE FOR 'report'@'127.0.0.1'", TenantSnapshot::accounts);
        changes.put("REVOKE SELECT ON shop.audit FROM auditor", TenantSnapshot::accounts);
        changes.put("FLUSH BINARY LOGS", TenantSnapshot::gtidBinlogPos);
        changes.put("DELETE FROM shop.items WHERE id = 1", TenantSnapshot::gtidBinlogPos);
        try (Connection connection = connectAsRoot(port(RESTORED), ROOT_PASSWORD);
             Statement sql = connection.createStatement()) {
            for (Map.Entry<String, Function<TenantSnapshot, Object>> change : changes.entrySet()) {
                Object before = change.getValue().apply(TenantSnapshot.of(connection));
                sql.execute(change.getKey());
                boolean seen = !before.equals(change.getValue().apply(TenantSnapshot.of(connection)));
                assertEquals(!change.getKey().startsWith("FLUSH"), seen, change.getKey());
            }
        }
    }

    @Test
    @Order(99)
    void dropTheTenants() throws Exception {
        for (String name : restoredTenants) {
            dropTenant(name);
        }
        dropTenant(SOURCE);
        TestTenant.deleteTree(destinations);
    }

    private void restore(String source, Path from, String tenant, Instant timestamp) {
        String dagId = api().body(Map.of("data_backup_uri", "file://" + from.resolve("data"),
                        "archive_log_uri", "file://" + from.resolve("archive"), "restore_tenant_name", tenant,
                        "timestamp", timestamp.toString()))
                .post(RESTORE).then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), () -> "restore of " + source + ": " + dag.prettify());
        restoredTenants.add(tenant);
    }



    private static void sql(int port, String... statements) throws SQLException {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }
}
