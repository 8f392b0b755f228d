package io.tenantbackup.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** DATETIME columns read with plain JDBC as Hibernate reads an {@link OffsetDateTime} it stored: in UTC. */
public final class SqlTimes {

    private SqlTimes() {
    }

    /** The column's time in UTC, or null. */
    public static OffsetDateTime utc(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.atOffset(ZoneOffset.UTC);
    }
}
