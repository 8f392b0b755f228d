package io.tenantbackup.task;

/** obshell's states of a DAG, node or sub-task. */
public enum TaskState {
    PENDING, READY, RUNNING, FAILED, SUCCEED;

    public boolean isFinished() {
        return this == FAILED || this == SUCCEED;
    }
}
