package io.tenantbackup.tenant;

import io.tenantbackup.db.SqlTimes;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tenant rows read with plain JDBC, one statement each: a row as a detached entity with every column set (times
 * normalised to UTC as Hibernate stores an {@link OffsetDateTime} in a DATETIME column), since every tenant route looks
 * its tenant up; and the homes of all tenants, since every file:// destination is checked against them.
 */
final class TenantRows {

    private static final String BY_NAME = "SELECT id, name, status, port, home_dir, server_id, charset_name,"
            + " collation_name, variables_json, create_request_json, owner_agent, created_at, updated_at"
            + " FROM tenant WHERE name = ?";
    private static final String HOMES = "SELECT home_dir FROM tenant";
    private static final String CHANGE_STATUS = "UPDATE tenant SET status = ?, updated_at = ?"
            + " WHERE name = ? AND status = ?";

    private TenantRows() {
    }

    static Optional<TenantEntity> byName(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BY_NAME)) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static List<Path> homes(Connection connection) throws SQLException {
        List<Path> homes = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(HOMES)) {
            while (rs.next()) {
                homes.add(Path.of(rs.getString(1)));
            }
        }
        return homes;
    }

    /** Moves the row of {@code name} from status {@code from} to {@code to}; says whether it was in {@code from}. */
    static boolean changeStatus(Connection connection, String name, TenantStatus from, TenantStatus to)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CHANGE_STATUS)) {
            statement.setString(1, to.name());
            statement.setObject(2, SqlTimes.utcLocal(OffsetDateTime.now()));
            statement.setString(3, name);
            statement.setString(4, from.name());
            return statement.executeUpdate() == 1;
        }
    }

    private static TenantEntity row(ResultSet rs) throws SQLException {
        TenantEntity row = new TenantEntity();
        row.id = rs.getLong(1);
        row.name = rs.getString(2);
        row.status = TenantStatus.valueOf(rs.getString(3));
        row.port = rs.getObject(4, Integer.class);
        row.homeDir = rs.getString(5);
        row.serverId = rs.getObject(6, Long.class);
        row.charset = rs.getString(7);
        row.collation = rs.getString(8);
        row.variablesJson = rs.getString(9);
        row.createRequestJson = rs.getString(10);
        row.ownerAgent = rs.getString(11);
        row.createdAt = SqlTimes.utc(rs, 12);
        row.updatedAt = SqlTimes.utc(rs, 13);
        return row;
    }
}
