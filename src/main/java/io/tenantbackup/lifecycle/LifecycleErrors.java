package io.tenantbackup.lifecycle;

import io.tenantbackup.error.ErrorCode;

/** Error codes of expiry and verification (ours: obshell has neither route). */
public final class LifecycleErrors {

    public static final ErrorCode NO_DELETE_POLICY = new ErrorCode(400, "OB.Backup.DeletePolicy.NotSet");
    public static final ErrorCode NO_DESTINATION = new ErrorCode(400, "OB.Backup.DataDestEmpty");

    private LifecycleErrors() {
    }
}
