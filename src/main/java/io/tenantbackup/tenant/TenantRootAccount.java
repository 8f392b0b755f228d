package io.tenantbackup.tenant;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;

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
