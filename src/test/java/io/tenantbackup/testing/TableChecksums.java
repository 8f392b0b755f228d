package io.tenantbackup.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** CHECKSUM TABLE of every user table of an instance: equal maps mean equal data. */
public final class TableChecksums {

    private TableChecksums() {
    }

    public static Map<String, Long> of(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT table_schema, table_name FROM information_schema.tables"
                     + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN"
                     + " ('mysql', 'information_schema', 'performance_schema', 'sys')")) {
            while (rows.next()) {
                tables.add("`" + rows.getString(1) + "`.`" + rows.getString(2) + "`");
            }
        }
        Map<String, Long> checksums = new TreeMap<>();
        try (Statement sql = connection.createStatement()) {
            for (String table : tables) {
                try (ResultSet row = sql.executeQuery("CHECKSUM TABLE " + table)) {
                    row.next();
                    checksums.put(table, row.getLong(2));
                }
            }
        }
        return checksums;
    }
}
