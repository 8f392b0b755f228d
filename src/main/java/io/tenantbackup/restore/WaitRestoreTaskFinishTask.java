package io.tenantbackup.restore;

import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Starts the restored instance on its reserved port with a new agent account (the backup's agent password is not
 * known here), gives its fresh binlog the GTID state of the restored point, so that its own binlog continues the
 * source's GTIDs, and replays the archived binlog up to the point (the newest point: as far as the request found the
 * archive continuing the chain).
 */
@ApplicationScoped
public class WaitRestoreTaskFinishTask extends RestoreStep {

    @jakarta.inject.Inject
    BinlogReplay replay;

    @Override
    public void execute(TaskContext context) throws Exception {
        String tenant = tenant(context);
        TenantInstance instance = restored.restoring(tenant);
        String gtid = context.requiredParam(RestoreDags.SET_GTID);
        try (Connection agent = restored.start(tenant, context::log); Statement sql = agent.createStatement()) {
            sql.execute("RESET MASTER");
            if (!gtid.isEmpty()) {
                try (PreparedStatement set = agent.prepareStatement("SET GLOBAL gtid_binlog_state = ?")) {
                    set.setString(1, gtid);
                    set.execute();
                }
                try (PreparedStatement set = agent.prepareStatement("SET GLOBAL gtid_slave_pos = ?")) {
                    set.setString(1, gtid);
                    set.execute();
                }
            }
            context.log("Tenant '" + tenant + "': GTID state set to the backup's consistent point '" + gtid + "'");
        }
        RestorePoint point = RestorePoint.parse(context.requiredParam(RestoreDags.POINT_KIND),
                context.requiredParam(RestoreDags.POINT_VALUE));
        if (point.latest()) {
            context.log("Tenant '" + tenant + "': " + context.requiredParam(RestoreDags.POINT_NOTE));
            long newestScn = Long.parseLong(context.requiredParam(RestoreDags.NEWEST_SCN));
            if (newestScn > Gtids.seqNo(gtid)) {
                replay.replay(context, instance, new RestorePoint(null, newestScn), staging(context).binlog());
            }
        } else {
            replay.replay(context, instance, point, staging(context).binlog());
        }
        try (Connection agent = instance.agent().connect(); Statement sql = agent.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            context.put(RestoreDags.RECOVER_GTID, row.getString(1));
            context.log("Tenant '" + tenant + "' recovered to GTID '" + row.getString(1) + "'");
        }
        staging(context).remove();
    }
}
