package io.tenantbackup.restore;

import io.tenantbackup.task.NodeOutput;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Starts the restored instance on its reserved port with a new agent account (the backup's agent password is not
 * known here), gives its fresh binlog the GTID state of the restored point (the start does, from a state file; SQL
 * only when it did not), so that its own binlog continues the source's GTIDs, and replays the archived binlog up to
 * the point (the newest point: as far as the request found the archive continuing the chain).
 */
@ApplicationScoped
public class WaitRestoreTaskFinishTask extends RestoreStep {

    /** The version the restored instance answers with, for 'Upgrade tenant' (saves it a connection). */
    static final NodeOutput<String> RUNNING_SERVER = NodeOutput.named("restored_server_version", String.class);

    @Inject
    BinlogReplay replay;

    @Override
    public void execute(TaskContext context) throws Exception {
        String tenant = tenant(context);
        String gtid = context.requiredParam(RestoreDags.SET_GTID);
        RestorePoint point = RestorePoint.parse(context.requiredParam(RestoreDags.POINT_KIND),
                context.requiredParam(RestoreDags.POINT_VALUE));
        RestorePoint replayTo = replayTarget(context, point, gtid);
        // The start's lines and, without a replay, the outcome read on the start's connection go in one commit,
        // after the work or with its failure.
        List<String> lines = new ArrayList<>();
        List<String> gtids = Gtids.all(gtid);
        try (Connection agent = restored.start(tenant, gtids, lines::add); Statement sql = agent.createStatement()) {
            if (!binlogStateIs(sql, gtids)) {
                lines.add("Tenant '" + tenant + "': its binlog did not begin with the backup's GTID state (it had a"
                        + " binlog before this start, or something was logged since): RESET MASTER");
                sql.execute("RESET MASTER");
                if (!gtid.isEmpty()) {
                    try (PreparedStatement set = agent.prepareStatement("SET GLOBAL gtid_binlog_state = ?")) {
                        set.setString(1, gtid);
                        set.execute();
                    }
                }
            }
            if (!gtid.isEmpty()) {
                try (PreparedStatement set = agent.prepareStatement("SET GLOBAL gtid_slave_pos = ?")) {
                    set.setString(1, gtid);
                    set.execute();
                }
            }
            lines.add("Tenant '" + tenant + "': GTID state set to the backup's consistent point '" + gtid + "'");
            if (point.latest()) {
                lines.add("Tenant '" + tenant + "': " + context.requiredParam(RestoreDags.POINT_NOTE));
            }
            if (replayTo == null) {
                lines.add(recovered(context, tenant, agent));
            }
        } finally {
            context.log(lines);
        }
        if (replayTo != null) {
            TenantInstance instance = restored.restoring(tenant);
            replay.replay(context, instance, replayTo, staging(context).binlog());
            try (Connection agent = instance.agent().connect()) {
                context.log(recovered(context, tenant, agent));
            }
        }
        staging(context).remove();
    }

    /** Where the archived binlog is replayed to, or null when the backup's consistent point is already the point. */
    private static RestorePoint replayTarget(TaskContext context, RestorePoint point, String gtid) {
        if (!point.latest()) {
            return point;
        }
        long newestScn = Long.parseLong(context.requiredParam(RestoreDags.NEWEST_SCN));
        return newestScn > Gtids.seqNo(gtid) ? new RestorePoint(null, newestScn) : null;
    }

    private static boolean binlogStateIs(Statement sql, List<String> gtids) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_state")) {
            row.next();
            return Set.copyOf(Gtids.all(row.getString(1))).equals(Set.copyOf(gtids));
        }
    }

    /** Records the recovered GTID position and the running version; returns the log line. */
    private static String recovered(TaskContext context, String tenant, Connection agent) throws SQLException {
        try (Statement sql = agent.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos, VERSION()")) {
            row.next();
            context.put(RestoreDags.RECOVER_GTID, row.getString(1));
            context.publish(RUNNING_SERVER, row.getString(2));
            return "Tenant '" + tenant + "' recovered to GTID '" + row.getString(1) + "'";
        }
    }
}
