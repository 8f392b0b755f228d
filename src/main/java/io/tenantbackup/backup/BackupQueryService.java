package io.tenantbackup.backup;

import io.tenantbackup.archive.ArchiveLogService;
import io.tenantbackup.db.AutocommitReads;
import io.tenantbackup.db.SqlTimes;
import io.tenantbackup.tenant.TenantInstance;
import io.tenantbackup.tenant.TenantNames;
import io.tenantbackup.tenant.TenantService;
import io.tenantbackup.tenant.TenantStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Read side of the catalog for the overview, tasks and info endpoints; the API layer maps rows to DTOs. */
@ApplicationScoped
public class BackupQueryService {

    /** One page of backup sets plus obshell's page block. */
    public record BackupTaskPage(List<BackupSet> contents, long totalElements, long totalPages, long size, long number) {
    }

    /** {@code GET …/backup/info}: the end of the last completed backup and the archive's checkpoint and delay, if any. */
    public record BackupInfo(long tenantId, Optional<OffsetDateTime> lastDataBackupTime,
                             Optional<OffsetDateTime> archiveCheckpoint, Optional<Double> archiveDelaySeconds) {
    }

    /**
     * {@code GET …/backup/overview}: the running or latest set, and the time of the tenant's latest verification (null
     * before its first) with the number of its sets then found INVALID or MISSING.
     */
    public record Overview(BackupSet set, OffsetDateTime lastVerifiedAt, long invalidSets) {
    }

    private static final List<String> RUNNING = Arrays.stream(BackupSet.Status.values())
            .filter(BackupSet.Status::running).map(Enum::name).toList();

    /**
     * One statement, by the tenant's name: the running set (the oldest, as {@link BackupCatalog#running}), else the
     * latest by start time, each found along an index of backup_set, with the tenant's latest verification time and
     * count of failed sets (along the two indexes of V11), and the tenant's status; no row when no tenant has that
     * name, NULL set columns when it has no set. Scalar subqueries, not a joined aggregate: MariaDB materialises a
     * derived table in a temporary table on every execution.
     */
    private static final String OVERVIEW = "SELECT " + BackupSetRows.COLUMNS + ","
            + " (SELECT MAX(v.verified_at) FROM backup_verification v WHERE v.tenant_id = t.id),"
            + " (SELECT COUNT(*) FROM backup_verification v WHERE v.tenant_id = t.id"
            + " AND v.status IN ('INVALID', 'MISSING') AND v.backup_set_id IS NOT NULL),"
            + " t.status"
            + " FROM tenant t LEFT JOIN backup_set b"
            + " ON b.id = COALESCE((SELECT MIN(r.id) FROM backup_set r WHERE r.tenant_id = t.id AND r.status IN ("
            + String.join(", ", RUNNING.stream().map(status -> "'" + status + "'").toList()) + ")),"
            + " (SELECT l.id FROM backup_set l WHERE l.tenant_id = t.id ORDER BY l.start_time DESC, l.id DESC LIMIT 1))"
            + " WHERE t.name = ?";

    private static final String INFO = "SELECT (SELECT b.end_time FROM backup_set b WHERE b.tenant_id = ?"
            + " AND b.status = '" + BackupSet.Status.COMPLETED + "' ORDER BY b.end_time DESC LIMIT 1),"
            + " (SELECT a.checkpoint FROM archive_log a WHERE a.tenant_id = ?)";

    @Inject
    DataSource dataSource;

    /**
     * The running set, else the latest by start time, with the tenant's verification summary, in one plain-JDBC
     * statement in autocommit mode that also checks the tenant as its route would (api ReadsItsRouteTenant): a
     * dashboard polls this for every tenant. No set → 404 Task.NotFound "Task not found: no backup task".
     */
    public Overview overview(String tenantName) {
        TenantNames.validate(tenantName);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(OVERVIEW)) {
            statement.setString(1, tenantName);
            try (ResultSet rs = statement.executeQuery()) {
                int verification = BackupSetRows.COLUMN_COUNT + 1;
                boolean found = rs.next();
                TenantService.requireNormalOfRead(tenantName,
                        Optional.ofNullable(found ? TenantStatus.valueOf(rs.getString(verification + 2)) : null));
                if (rs.getObject(1) == null) {
                    throw BackupErrors.NO_BACKUP_TASK.exception("Task not found: no backup task");
                }
                return new Overview(BackupSetRows.set(rs), SqlTimes.utc(rs, verification), rs.getLong(verification + 1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the backup catalog failed: " + e.getMessage(), e);
        }
    }

    /**
     * The running set (the oldest, as {@link BackupCatalog#running}), else the latest by start time; empty when the
     * tenant has none. One statement, each of its lookups along an index, in no transaction of its own (see
     * {@link AutocommitReads}): a dashboard polls this for every tenant.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    @ActivateRequestContext
    public Optional<BackupSet> latest(TenantInstance tenant) {
        List<?> rows = BackupSet.getEntityManager().createNativeQuery("SELECT b.* FROM backup_set b"
                        + " WHERE b.id = COALESCE((SELECT r.id FROM backup_set r"
                        + " WHERE r.tenant_id = ?1 AND r.status IN (?2) ORDER BY r.id LIMIT 1),"
                        + " (SELECT l.id FROM backup_set l WHERE l.tenant_id = ?1 ORDER BY l.start_time DESC, l.id DESC"
                        + " LIMIT 1))", BackupSet.class)
                .setParameter(1, tenant.id())
                .setParameter(2, RUNNING)
                .getResultList();
        return AutocommitReads.detachedOutsideTransaction(rows.stream().map(BackupSet.class::cast).findFirst());
    }

    /**
     * One page of the tenant's sets with their number, in one plain-JDBC statement in autocommit mode (the number as an
     * uncorrelated subquery, evaluated once). A page past the end has no row to carry the number: it is then counted
     * with a second statement. Statuses the catalog does not know match no set.
     */
    public BackupTaskPage tasks(TenantInstance tenant, BackupTaskQuery query) {
        List<BackupSet.Status> statuses = new ArrayList<>();
        for (String status : query.statuses()) {
            known(status.trim()).ifPresent(statuses::add);
        }
        if (!query.statuses().isEmpty() && statuses.isEmpty()) {
            return new BackupTaskPage(List.of(), 0, 0, query.size(), query.page());
        }
        BackupTaskSelect select = new BackupTaskSelect(tenant.id(), query, statuses);
        int pageSize = (int) Math.min(query.size(), Integer.MAX_VALUE);
        long offset = (query.page() - 1) * pageSize;
        try (Connection connection = dataSource.getConnection()) {
            List<BackupSet> contents = new ArrayList<>();
            long total = 0;
            try (PreparedStatement page = connection.prepareStatement("SELECT " + BackupSetRows.COLUMNS
                    + ", (SELECT COUNT(*) FROM backup_set c WHERE " + select.where("c") + ") FROM backup_set b WHERE "
                    + select.where("b") + " ORDER BY " + select.orderBy() + " LIMIT ? OFFSET ?")) {
                int next = select.bind(page, select.bind(page, 1));
                page.setLong(next, pageSize);
                page.setLong(next + 1, offset);
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        contents.add(BackupSetRows.set(rs));
                        total = rs.getLong(BackupSetRows.COLUMN_COUNT + 1);
                    }
                }
            }
            if (contents.isEmpty() && offset > 0) {
                total = count(connection, select);
            }
            return new BackupTaskPage(contents, total, (total + pageSize - 1) / pageSize, query.size(), query.page());
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the backup catalog failed: " + e.getMessage(), e);
        }
    }

    private static long count(Connection connection, BackupTaskSelect select) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM backup_set c WHERE "
                + select.where("c"))) {
            select.bind(count, 1);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * One plain-JDBC statement in autocommit mode: the end of the last completed set (along
     * idx_backup_set_tenant_status_end) and the archive's checkpoint (archive_log by its primary key).
     */
    public BackupInfo info(TenantInstance tenant) {
        return read(INFO, 2, tenant, rs -> {
            rs.next();
            Optional<OffsetDateTime> checkpoint = Optional.ofNullable(SqlTimes.utc(rs, 2));
            return new BackupInfo(tenant.id(), Optional.ofNullable(SqlTimes.utc(rs, 1)), checkpoint,
                    ArchiveLogService.delaySeconds(checkpoint));
        });
    }

    private interface RowsReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** {@code sql}, whose {@code parameters} parameters are all the tenant's id, on a connection in autocommit mode. */
    private <T> T read(String sql, int parameters, TenantInstance tenant, RowsReader<T> reader) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int parameter = 1; parameter <= parameters; parameter++) {
                statement.setLong(parameter, tenant.id());
            }
            try (ResultSet rs = statement.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the backup catalog failed: " + e.getMessage(), e);
        }
    }

    private static Optional<BackupSet.Status> known(String status) {
        try {
            return Optional.of(BackupSet.Status.valueOf(status));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
