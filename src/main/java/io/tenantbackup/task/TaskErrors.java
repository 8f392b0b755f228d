package io.tenantbackup.task;

import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.error.ServiceException;

/** obshell's task error codes. */
public final class TaskErrors {

    public static final ErrorCode GENERIC_ID_INVALID = new ErrorCode(400, "Task.GenericID.Invalid");
    public static final ErrorCode NOT_FOUND = new ErrorCode(404, "Task.NotFound");
    public static final ErrorCode OPERATOR_NOT_SUPPORT = new ErrorCode(400, "Task.Dag.Operator.NotSupport");
    public static final ErrorCode CANCEL_FINISHED_DAG = new ErrorCode(400, "Task.Dag.Operator.CancelFinishedDag");
    public static final ErrorCode CANCEL_NOT_ALLOWED = new ErrorCode(400, "Task.Dag.Operator.CancelNotAllowed");
    public static final ErrorCode RETRY_NOT_FAILED_DAG = new ErrorCode(400, "Task.Dag.Operator.RetryNotFailedDag");
    public static final ErrorCode ROLLBACK_NOT_FAILED_DAG = new ErrorCode(400, "Task.Dag.Operator.RollbackNotFailedDag");
    public static final ErrorCode PASS_NOT_FAILED_DAG = new ErrorCode(400, "Task.Dag.Operator.PassNotFailedDag");
    /** A tenant locked by another unfinished DAG; obshell answers conflicts with 500. */
    public static final ErrorCode TENANT_UNDER_MAINTENANCE = new ErrorCode(500, "OB.Tenant.UnderMaintenance");

    public static ServiceException notFound() {
        return NOT_FOUND.exception("Task not found: record not found");
    }

    private TaskErrors() {
    }
}
