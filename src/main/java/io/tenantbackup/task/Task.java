package io.tenantbackup.task;

/**
 * The work of one DAG node. Implementations are CDI beans; a {@link DagTemplate} names them by class so that a
 * persisted DAG can find its tasks again after a restart.
 */
public interface Task {

    /** Does the work. A thrown exception fails the sub-task; its message becomes the last task log line. */
    void execute(TaskContext context) throws Exception;

    /**
     * Whether the task may simply be run again when the service died while it was running. A task that is not safe
     * to re-run is failed on the next start, with a log line saying why, and then cleaned up.
     */
    default boolean safeToRerun() {
        return false;
    }

    /** Removes what a failed or cancelled run left behind. Called after the sub-task has FAILED; must not throw. */
    default void cleanUp(TaskContext context) {
    }
}
