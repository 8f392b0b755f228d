package io.tenantbackup.restore;

import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskState;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A tenant's latest restore as obshell's RestoreOverview describes it, read from its DAG (parameters and the values
 * its nodes recorded) and, while it runs, its live {@link RestoreProgress}.
 */
public record RestoreStatus(long tenantId, long jobId, String restoreTenantName, long backupTenantId,
                            String backupTenantName, String status, OffsetDateTime startTime,
                            OffsetDateTime finishTime, long totalBytes, long finishBytes, int recoverPercent,
                            String backupSetList, String backupDataUri, String backupLogUri, String restoreOption,
                            String restorePoint, long restoreScn, String recoverGtid, long replayedScn,
                            String description, String comment) {

    static RestoreStatus of(long tenantId, DagEntity dag, RestoreProgress progress) {
        Map<String, String> params = dag.paramMap();
        String tenant = params.get(RestoreDags.TENANT_NAME);
        long totalBytes = Long.parseLong(params.getOrDefault(RestoreDags.TOTAL_BYTES, "0"));
        RestorePoint point = RestorePoint.parse(params.getOrDefault(RestoreDags.POINT_KIND, "latest"),
                params.getOrDefault(RestoreDags.POINT_VALUE, ""));
        String status = switch (dag.state) {
            case SUCCEED -> "SUCCESS";
            case FAILED -> "FAIL";
            default -> "DOING";
        };
        long finishBytes = dag.isFinished() ? Long.parseLong(params.getOrDefault(RestoreDags.FINISH_BYTES, "0"))
                : progress.finishBytes(tenant);
        int percent = dag.state == TaskState.SUCCEED ? 100 : progress.percent(tenant, totalBytes);
        return new RestoreStatus(tenantId, dag.id, tenant,
                Long.parseLong(params.getOrDefault(RestoreDags.SOURCE_TENANT_ID, "0")),
                params.get(RestoreDags.SOURCE_TENANT), status, dag.startTime, dag.endTime, totalBytes, finishBytes,
                percent, params.get(RestoreDags.CHAIN), params.get(RestoreDags.DATA_URI), params.get(RestoreDags.ARCHIVE_URI),
                params.getOrDefault(RestoreDags.OPTIONS, "{}"), display(point, params),
                restoreScn(point, params.getOrDefault(RestoreDags.RECOVER_GTID, "")),
                params.getOrDefault(RestoreDags.RECOVER_GTID, ""), progress.replayedSeqNo(tenant),
                params.getOrDefault(RestoreDags.POINT_NOTE, ""),
                "DAG " + dag.genericId() + " (" + dag.name + ") " + dag.state);
    }

    /** The point asked for; for the newest point, the time and GTID seq_no it was resolved to. */
    private static String display(RestorePoint point, Map<String, String> params) {
        return point.latest() && params.containsKey(RestoreDags.NEWEST_TIME)
                ? point + ": " + params.get(RestoreDags.NEWEST_TIME) + " (GTID seq_no "
                + params.get(RestoreDags.NEWEST_SCN) + ")"
                : point.toString();
    }

    /**
     * The restore point as an SCN: the one requested, else (newest point, timestamp) the GTID seq_no the restore
     * resolved to, known once the instance ran (0 before).
     */
    private static long restoreScn(RestorePoint point, String recoverGtid) {
        return point.scn() != null ? point.scn() : Gtids.seqNo(recoverGtid);
    }

    /** The GTID seq_no the restore recovered to; while the binlog replays, the seq_no it has reached; 0 before. */
    public long recoverScn() {
        return recoverGtid.isEmpty() ? replayedScn : Gtids.seqNo(recoverGtid);
    }
}
