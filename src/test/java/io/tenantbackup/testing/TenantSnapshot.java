package io.tenantbackup.testing;

import io.tenantbackup.engine.mariadb.AgentAccount;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Everything a tenant holds that a restore must bring back, as comparable values: CHECKSUM TABLE of every user table
 * (any engine), the definitions of views, routines, triggers and events, the charsets and collations of schemas,
 * tables and columns, every account (mysql.global_priv: password hash, plugin, limits) with its SHOW GRANTS, roles
 * included, and the binlog GTID position. The service's own agent account is left out: a restore recreates it with a
 * new password.
 */
public record TenantSnapshot(Map<String, Long> checksums, Map<String, String> schemaObjects,
                             Map<String, String> charsets, Map<String, String> accounts, String gtidBinlogPos) {

    private static final String USER_SCHEMAS =
            " NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')";

    public static TenantSnapshot of(Connection connection) throws SQLException {
        return new TenantSnapshot(TableChecksums.of(connection), schemaObjects(connection), charsets(connection),
                accounts(connection), single(connection, "SELECT @@gtid_binlog_pos"));
    }

    /** Compares part by part so a failure names what differs (checksums, objects, charsets, accounts, GTID). */
    public static void assertSame(TenantSnapshot expected, TenantSnapshot actual, String what) {
        assertEquals(expected.checksums(), actual.checksums(), what + ": table checksums");
        assertEquals(expected.schemaObjects(), actual.schemaObjects(), what + ": views, routines, triggers, events");
        assertEquals(expected.charsets(), actual.charsets(), what + ": charsets and collations");
        assertEquals(expected.accounts(), actual.accounts(), what + ": accounts and grants");
        assertEquals(expected.gtidBinlogPos(), actual.gtidBinlogPos(), what + ": gtid_binlog_pos");
    }

    private static Map<String, String> schemaObjects(Connection connection) throws SQLException {
        Map<String, String> objects = new TreeMap<>();
        rows(connection, objects, "SELECT CONCAT('view ', table_schema, '.', table_name), CONCAT_WS(' | ',"
                + " view_definition, security_type, definer, check_option, character_set_client)"
                + " FROM information_schema.views WHERE table_schema" + USER_SCHEMAS);
        rows(connection, objects, "SELECT CONCAT(routine_type, ' ', routine_schema, '.', routine_name), CONCAT_WS(' | ',"
                + " routine_definition, data_type, is_deterministic, security_type, sql_mode, definer,"
                + " (SELECT GROUP_CONCAT(CONCAT_WS(' ', parameter_mode, parameter_name, dtd_identifier)"
                + " ORDER BY ordinal_position) FROM information_schema.parameters p"
                + " WHERE p.specific_schema = r.routine_schema AND p.specific_name = r.specific_name))"
                + " FROM information_schema.routines r WHERE routine_schema" + USER_SCHEMAS);
        rows(connection, objects, "SELECT CONCAT('trigger ', trigger_schema, '.', trigger_name), CONCAT_WS(' | ',"
                + " action_timing, event_manipulation, event_object_table, action_order, action_statement, definer)"
                + " FROM information_schema.triggers WHERE trigger_schema" + USER_SCHEMAS);
        rows(connection, objects, "SELECT CONCAT('event ', event_schema, '.', event_name), CONCAT_WS(' | ',"
                + " event_definition, interval_value, interval_field, status, on_completion, definer)"
                + " FROM information_schema.events WHERE event_schema" + USER_SCHEMAS);
        return objects;
    }

    private static Map<String, String> charsets(Connection connection) throws SQLException {
        Map<String, String> charsets = new TreeMap<>();
        rows(connection, charsets, "SELECT CONCAT('schema ', schema_name), CONCAT_WS(' ',"
                + " default_character_set_name, default_collation_name) FROM information_schema.schemata"
                + " WHERE schema_name" + USER_SCHEMAS);
        rows(connection, charsets, "SELECT CONCAT('table ', table_schema, '.', table_name), CONCAT_WS(' ', engine,"
                + " table_collation) FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
                + " AND table_schema" + USER_SCHEMAS);
        rows(connection, charsets, "SELECT CONCAT('column ', table_schema, '.', table_name, '.', column_name),"
                + " CONCAT_WS(' ', column_type, character_set_name, collation_name, is_nullable, column_default)"
                + " FROM information_schema.columns WHERE table_schema" + USER_SCHEMAS);
        return charsets;
    }

    private static Map<String, String> accounts(Connection connection) throws SQLException {
        Map<String, String> accounts = new TreeMap<>();
        List<String[]> users = new ArrayList<>();
        try (Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT user, host, priv FROM mysql.global_priv WHERE user <> '"
                     + AgentAccount.USER + "'")) {
            while (rows.next()) {
                users.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
            }
        }
        try (Statement sql = connection.createStatement()) {
            for (String[] user : users) {
                String account = user[1].isEmpty() ? "'" + user[0] + "'" : "'" + user[0] + "'@'" + user[1] + "'";
                List<String> grants = new ArrayList<>();
                try (ResultSet rows = sql.executeQuery("SHOW GRANTS FOR " + account)) {
                    while (rows.next()) {
                        grants.add(rows.getString(1));
                    }
                }
                accounts.put(account, user[2] + " | " + String.join(" ; ", grants));
            }
        }
        rows(connection, accounts, "SELECT CONCAT('default role ', user, '@', host), default_role FROM mysql.user"
                + " WHERE default_role <> '' AND user <> '" + AgentAccount.USER + "'");
        return accounts;
    }

    private static void rows(Connection connection, Map<String, String> into, String query) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(query)) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                into.put(rows.getString(1), meta.getColumnCount() > 1 ? String.valueOf(rows.getString(2)) : "");
            }
        }
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }
}
