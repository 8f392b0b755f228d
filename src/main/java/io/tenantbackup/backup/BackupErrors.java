package io.tenantbackup.backup;

import io.tenantbackup.error.ErrorCode;

/** obshell's backup codes (ob/agent/errors), plus this service's own for incremental and cancel. */
public final class BackupErrors {

    public static final ErrorCode DATA_BASE_URI_EMPTY = new ErrorCode(400, "OB.Backup.DataBaseUriEmpty");
    public static final ErrorCode ARCHIVE_BASE_URI_EMPTY = new ErrorCode(400, "OB.Backup.ArchiveBaseUriEmpty");
    public static final ErrorCode LOG_ARCHIVE_CONCURRENCY_INVALID = new ErrorCode(400, "OB.Backup.LogArchiveConcurrency.Invalid");
    public static final ErrorCode HA_LOW_THREAD_SCORE_INVALID = new ErrorCode(400, "OB.Backup.HaLowThreadScore.Invalid");
    public static final ErrorCode BINDING_INVALID = new ErrorCode(400, "OB.Backup.Binding.Invalid");
    public static final ErrorCode PIECE_SWITCH_INTERVAL_INVALID = new ErrorCode(400, "OB.Backup.PieceSwitchInterval.Invalid");
    public static final ErrorCode DELETE_POLICY_INVALID = new ErrorCode(400, "OB.Backup.DeletePolicy.Invalid");
    public static final ErrorCode ARCHIVE_LAG_TARGET_INVALID = new ErrorCode(400, "OB.Backup.ArchiveLagTarget.Invalid");
    public static final ErrorCode ARCHIVE_LAG_TARGET_FOR_S3_INVALID = new ErrorCode(400, "OB.Backup.ArchiveLagTargetForS3.Invalid");
    public static final ErrorCode ARCHIVE_DEST_EMPTY = new ErrorCode(400, "OB.Backup.ArchiveDestEmpty");
    public static final ErrorCode DATA_DEST_EMPTY = new ErrorCode(400, "OB.Backup.DataDestEmpty");
    public static final ErrorCode MODE_INVALID = new ErrorCode(400, "OB.Backup.Mode.Invalid");
    public static final ErrorCode NO_FULL_BACKUP = new ErrorCode(400, "OB.Backup.NoFullBackup");
    public static final ErrorCode STATUS_INVALID = new ErrorCode(400, "OB.Backup.Status.Invalid");
    public static final ErrorCode NO_RUNNING_BACKUP = new ErrorCode(400, "OB.Backup.NoRunningBackup");
    public static final ErrorCode IN_PROGRESS = new ErrorCode(400, "OB.Backup.InProgress");
    public static final ErrorCode NO_BACKUP_TASK = new ErrorCode(404, "Task.NotFound");

    private BackupErrors() {
    }
}
