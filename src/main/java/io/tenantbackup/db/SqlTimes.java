package io.tenantbackup.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** DATETIME columns read and compared with plain JDBC as Hibernate maps an {@link OffsetDateTime} to them: in UTC. */
public final class SqlTimes {

    private SqlTimes() {
    }

    /** The column's time in UTC, or null. */
    public static OffsetDateTime utc(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.atOffset(ZoneOffset.UTC);
    }

    /** The time as a DATETIME parameter: its UTC wall-clock time. */
    public static LocalDateTime utcLocal(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
}
