package io.tenantbackup.restore;

import io.tenantbackup.error.ErrorCode;

/** Restore error codes: obshell's where it has one, ours (same naming) for what only a MariaDB restore checks. */
final class RestoreErrors {

    static final ErrorCode NOT_RECOVERING = new ErrorCode(400, "OB.Restore.NotRecovering");
    static final ErrorCode NO_BACKUP = new ErrorCode(400, "OB.Restore.BackupSet.NotExist");
    static final ErrorCode UNREADABLE_BACKUP = new ErrorCode(400, "OB.Restore.BackupSet.Unreadable");
    static final ErrorCode DECRYPTION_FAILED = new ErrorCode(400, "OB.Restore.Decryption.Failed");
    static final ErrorCode DECRYPTION_TOO_MANY = new ErrorCode(400, "OB.Restore.Decryption.TooMany");
    static final ErrorCode DISK_NOT_ENOUGH = new ErrorCode(400, "OB.Restore.Disk.NotEnough");
    static final ErrorCode PLAN_TIMEOUT = new ErrorCode(400, "OB.Restore.Plan.Timeout");
    static final ErrorCode POINT_NOT_RESTORABLE = new ErrorCode(400, "OB.Restore.Point.NotRestorable");

    private RestoreErrors() {
    }
}
