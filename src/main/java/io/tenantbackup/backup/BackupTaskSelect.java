package io.tenantbackup.backup;

import io.tenantbackup.db.SqlTimes;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * The SQL of one {@code GET …/backup/tasks} query: the tenant's sets its filters keep, in its order (the id breaks
 * ties in the same direction), as the Hibernate query it replaces selected them.
 */
final class BackupTaskSelect {

    private final long tenantId;
    private final BackupTaskQuery query;
    private final List<BackupSet.Status> statuses;

    /** {@code statuses}: the query's statuses the catalog knows; empty for no status filter. */
    BackupTaskSelect(long tenantId, BackupTaskQuery query, List<BackupSet.Status> statuses) {
        this.tenantId = tenantId;
        this.query = query;
        this.statuses = statuses;
    }

    /** The filters on the backup_set aliased {@code alias}; {@link #bind} sets their parameters. */
    String where(String alias) {
        StringBuilder where = new StringBuilder(alias).append(".tenant_id = ?");
        if (query.startTime() != null) {
            where.append(" AND ").append(alias).append(".start_time >= ?");
        }
        if (query.endTime() != null) {
            where.append(" AND ").append(alias).append(".start_time <= ?");
        }
        if (!statuses.isEmpty()) {
            where.append(" AND ").append(alias).append(".status IN (")
                    .append(String.join(", ", Collections.nCopies(statuses.size(), "?"))).append(')');
        }
        return where.toString();
    }

    /** Sets the parameters of one {@link #where} from {@code first} on; returns the next parameter's index. */
    int bind(PreparedStatement statement, int first) throws SQLException {
        int next = first;
        statement.setLong(next++, tenantId);
        if (query.startTime() != null) {
            statement.setObject(next++, SqlTimes.utcLocal(query.startTime()));
        }
        if (query.endTime() != null) {
            statement.setObject(next++, SqlTimes.utcLocal(query.endTime()));
        }
        for (BackupSet.Status status : statuses) {
            statement.setString(next++, status.name());
        }
        return next;
    }

    /** The order of the page, on the backup_set aliased {@code b}. */
    String orderBy() {
        String column = query.sortField().equals(BackupTaskQuery.END_TIMESTAMP) ? "end_time" : "start_time";
        String direction = query.ascending() ? "ASC" : "DESC";
        return "b." + column + " " + direction + ", b.id " + direction;
    }
}
