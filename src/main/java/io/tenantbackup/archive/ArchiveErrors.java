package io.tenantbackup.archive;

import io.tenantbackup.error.ErrorCode;

/** obshell's archive log codes (ob/agent/errors). */
public final class ArchiveErrors {

    public static final ErrorCode STATUS_INVALID = new ErrorCode(400, "OB.Backup.ArchiveLogStatus.Invalid");
    public static final ErrorCode ARCHIVE_DEST_EMPTY = new ErrorCode(400, "OB.Backup.ArchiveDestEmpty");

    private ArchiveErrors() {
    }
}
