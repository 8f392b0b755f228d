package io.tenantbackup.cluster;

import io.tenantbackup.error.ErrorCode;

/** obshell's codes of the obcluster backup routes (ob/agent/errors), plus the cluster backup's outcome. */
final class ClusterErrors {

    static final ErrorCode BASE_URI_EMPTY = new ErrorCode(400, "OB.Backup.BaseUriEmpty");
    static final ErrorCode NO_USER_TENANTS = new ErrorCode(400, "OB.Backup.NoUserTenants");
    /** Only in a task log: the cluster backup DAG failed because some tenants' backups did. */
    static final ErrorCode TENANT_BACKUP_FAILED = new ErrorCode(500, "OB.Backup.TenantBackupFailed");

    private ClusterErrors() {
    }
}
