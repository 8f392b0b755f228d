package io.tenantbackup.tenant;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tenant's root account. mariadb-install-db leaves root without a password on several hosts; the first start
 * (an init file) keeps only root@localhost and root@127.0.0.1 and locks them, so that no one can log in as root
 * until "Initialize tenant" has given it its password. Password statements are never binlogged.
 */
final class TenantRootAccount {

    /** Hosts root may log in from: the socket / "localhost" and TCP on 127.0.0.1 (where the instance listens). */
    private static final List<String> HOSTS = List.of("'root'@'localhost'", "'root'@'127.0.0.1'");

    /** Statements for the first start's init file. */
    static final List<String> LOCKED_UNTIL_INITIALIZED = List.of(
            "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1')",
            "FLUSH PRIVILEGES",
            "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' ACCOUNT LOCK",
            "ALTER USER 'root'@'localhost', 'root'@'127.0.0.1' ACCOUNT LOCK");

    /**
     * Root accounts that a password-less login would open (unix_socket and other plugins are not such), quoted by
     * the server: a restored datadir is untrusted input.
     */
    private static final String PASSWORDLESS_ROOTS = "SELECT CONCAT(QUOTE(User), '@', QUOTE(Host))"
            + " FROM mysql.global_priv WHERE User = 'root'"
            + " AND IFNULL(JSON_VALUE(Priv, '$.plugin'), 'mysql_native_password') = 'mysql_native_password'"
            + " AND IFNULL(JSON_VALUE(Priv, '$.authentication_string'), '') = ''"
            + " AND IFNULL(JSON_EXTRACT(Priv, '$.account_locked'), 'false') <> 'true'";

    private static final int GENERATED_BYTES = 24;

    private TenantRootAccount() {
    }

    /** A password for a tenant created without one: 32 URL-safe base64 characters. */
    static String generatePassword() {
        byte[] bytes = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Locks every root account without a password: a restored datadir has the source's accounts, and a source
     * created by an earlier version without root_password had a password-less root.
     */
    static void lockIfPasswordless(String tenant, Connection connection, Consumer<String> log) throws SQLException {
        List<String> passwordless = new ArrayList<>();
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(PASSWORDLESS_ROOTS)) {
            while (rows.next()) {
                passwordless.add(rows.getString(1));
            }
        }
        if (passwordless.isEmpty()) {
            return;
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET SESSION sql_log_bin = 0");
            sql.execute("ALTER USER " + String.join(", ", passwordless) + " ACCOUNT LOCK");
        }
        log.accept("Tenant '" + tenant + "': " + String.join(", ", passwordless) + " had no password (the backup's"
                + " tenant was created without one) and is now locked; give it a password as described in the"
                + " README (Security model)");
    }

    /**
     * Gives root its password and unlocks it, without binlogging. The password goes as a bound parameter (escaped by
     * the driver); errors never carry the statement.
     */
    static void setPassword(String tenant, Connection connection, String password) throws SQLException {
        try (Statement session = connection.createStatement()) {
            session.execute("SET SESSION sql_log_bin = 0");
        }
        for (String user : HOSTS) {
            try {
                try (PreparedStatement alter = connection.prepareStatement(
                        "ALTER USER " + user + " IDENTIFIED BY ? ACCOUNT UNLOCK")) {
                    alter.setString(1, password);
                    alter.execute();
                }
                try (Statement grant = connection.createStatement()) {
                    grant.execute("GRANT ALL PRIVILEGES ON *.* TO " + user + " WITH GRANT OPTION");
                }
            } catch (SQLException e) {
                throw new SQLException("Tenant '" + tenant + "': cannot set the password of " + user
                        + " (SQLSTATE " + e.getSQLState() + ", error " + e.getErrorCode() + ")", e.getSQLState());
            }
        }
    }
}
