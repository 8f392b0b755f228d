package io.tenantbackup.backup;

import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * "Open archive log": a backup is only useful for point-in-time recovery if the tenant writes a binlog. This checks
 * that it does and records where it stands; continuous binlog archiving itself is not implemented yet.
 */
@Unremovable
@ApplicationScoped
public class OpenArchiveLogTask extends BackupSetTask {

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
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
                context.log("Binary log of tenant " + tenant.name() + " is ON at " + status.getString("File") + ":"
                        + status.getLong("Position") + ", GTID position '" + gtid + "'. Continuous binlog archiving"
                        + " is not implemented yet: this backup restores to its own end point only.");
            }
            catalog.recordStartScn(backupSetId, GtidPositions.highestSeqNo(gtid));
        }
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
