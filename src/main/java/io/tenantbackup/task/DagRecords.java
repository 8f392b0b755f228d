package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.OffsetDateTime;

/** State changes of DAG rows shared by the engine's operators and the runner. Every method needs a transaction. */
@ApplicationScoped
class DagRecords {

    @Inject
    MaintenanceLocks locks;

    /** See {@link DagEntity#lockForUpdate}: must be the first read of the transaction. */
    DagEntity lockDag(long dagId) {
        return DagEntity.lockForUpdate(dagId).orElseThrow(TaskErrors::notFound);
    }

    NodeEntity currentNode(DagEntity dag) {
        return NodeEntity.atStage(dag.id, dag.stage);
    }

    void start(NodeEntity node, SubTaskEntity subTask) {
        OffsetDateTime now = OffsetDateTime.now();
        node.state = TaskState.RUNNING;
        node.startTime = now;
        node.endTime = null;
        subTask.state = TaskState.RUNNING;
        subTask.startTime = now;
        subTask.endTime = null;
    }

    void succeed(NodeEntity node, SubTaskEntity subTask) {
        end(node, subTask, TaskState.SUCCEED);
    }

    /** Fails the sub-task with its error line in the same transaction, so a FAILED sub-task always has a log. */
    void fail(NodeEntity node, SubTaskEntity subTask, TaskOperator operator, String errorLine) {
        TaskLogEntity.append(subTask.id, subTask.executeTimes, errorLine);
        if (operator != null) {
            node.operator = operator;
            subTask.operator = operator;
        }
        end(node, subTask, TaskState.FAILED);
    }

    void reset(NodeEntity node, SubTaskEntity subTask, TaskOperator operator) {
        node.state = TaskState.PENDING;
        node.operator = operator;
        node.endTime = null;
        subTask.state = TaskState.PENDING;
        subTask.operator = operator;
        subTask.endTime = null;
    }

    /** Ends the DAG and frees its maintenance key. */
    void finish(DagEntity dag, TaskState endState) {
        dag.state = endState;
        dag.endTime = OffsetDateTime.now();
        locks.release(dag.id);
    }

    private static void end(NodeEntity node, SubTaskEntity subTask, TaskState state) {
        OffsetDateTime now = OffsetDateTime.now();
        node.state = state;
        node.endTime = now;
        subTask.state = state;
        subTask.endTime = now;
        if (subTask.startTime == null) {
            subTask.startTime = now;
            node.startTime = now;
        }
    }
}
