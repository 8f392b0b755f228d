package io.tenantbackup.tenant;

import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.error.ServiceException;

/** obshell's tenant error codes (status and errCode as obshell answers them). */
public final class TenantErrors {

    public static final ErrorCode NAME_EMPTY = new ErrorCode(400, "OB.Tenant.Name.Empty");
    public static final ErrorCode SYS_OPERATION_NOT_ALLOWED = new ErrorCode(400, "OB.Tenant.SysOperationNotAllowed");
    public static final ErrorCode NAME_INVALID = new ErrorCode(400, "OB.Tenant.Name.Invalid");
    public static final ErrorCode NOT_EXIST = new ErrorCode(400, "OB.Tenant.NotExist");
    public static final ErrorCode EXISTED = new ErrorCode(400, "OB.Tenant.Existed");
    /** Ours, in obshell's style (OB.Tenant.UnitNum.ExceedsLimit): obshell has no bound on the number of tenants. */
    public static final ErrorCode COUNT_EXCEEDS_LIMIT = new ErrorCode(400, "OB.Tenant.Count.ExceedsLimit");
    public static final ErrorCode UNDER_MAINTENANCE = new ErrorCode(500, "OB.Tenant.UnderMaintenance");

    private TenantErrors() {
    }

    public static ServiceException notExist(String name) {
        return NOT_EXIST.exception("Tenant '" + name + "' does not exist.");
    }

    public static ServiceException underMaintenance(String name) {
        return UNDER_MAINTENANCE.exception("Tenant '" + name + "' is under maintenance, please try again later.");
    }
}
