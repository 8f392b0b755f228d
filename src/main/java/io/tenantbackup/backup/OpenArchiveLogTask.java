package io.tenantbackup.backup;

import io.tenantbackup.archive.ArchiveLogService;
import io.tenantbackup.task.BatchedLog;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * "Open archive log": a backup is only useful for point-in-time recovery if the tenant writes a binlog and that binlog
 * is archived. This checks that the binlog is on, records where it stands, then opens archiving if it is not DOING
 * and waits until the tenant's archiver streams; an INTERRUPTED archive fails the node with its reason.
 */
@Unremovable
@ApplicationScoped
public class OpenArchiveLogTask extends BackupSetTask {

    @Inject
    ArchiveLogService archive;

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        // an archive already DOING answers at once: its lines then reach the log in one commit instead of three
        try (BatchedLog log = new BatchedLog(context::log)) {
            try (Connection connection = tenant.agent().connect(); Statement sql = connection.createStatement()) {
                String gtid;
                try (ResultSet row = sql.executeQuery("SELECT @@log_bin, @@gtid_binlog_pos")) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        throw new IllegalStateException("Binary log of tenant " + tenant.name()
                                + " is OFF; a backup needs log_bin=ON");
                    }
                    gtid = row.getString(2);
                }
                try (ResultSet status = sql.executeQuery("SHOW MASTER STATUS")) {
                    status.next();
                    log.accept("Binary log of tenant " + tenant.name() + " is ON at " + status.getString("File") + ":"
                            + status.getLong("Position") + ", GTID position '" + gtid + "'");
                }
                catalog.recordStartScn(backupSetId, GtidPositions.highestSeqNo(gtid));
            }
            archive.openAndAwait(tenant, log, context.cancellation());
        }
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
