package io.tenantbackup.tenant;

import io.tenantbackup.db.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * A tenant row read with plain JDBC, one statement, as a detached entity with every column set (times normalised to
 * UTC as Hibernate stores an {@link OffsetDateTime} in a DATETIME column): every tenant route looks its tenant up.
 */
final class TenantRows {

    private static final String BY_NAME = "SELECT id, name, status, port, home_dir, server_id, charset_name,"
            + " collation_name, variables_json, create_request_json, owner_agent, created_at, updated_at"
            + " FROM tenant WHERE name = ?";

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
