package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * State changes of DAG rows shared by the engine's operators and the runner. A node and its single sub-task always
 * change together. Every method needs a transaction.
 */
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
        for (TaskRecordEntity record : List.of(node, subTask)) {
            record.state = TaskState.RUNNING;
            record.startTime = now;
            record.endTime = null;
        }
    }

    /** Makes the node run again with {@code operator} (RETRY). */
    void reset(NodeEntity node, SubTaskEntity subTask, TaskOperator operator) {
        for (TaskRecordEntity record : List.of(node, subTask)) {
            record.state = TaskState.PENDING;
            record.operator = operator;
            record.endTime = null;
        }
    }

    void succeed(NodeEntity node, SubTaskEntity subTask) {
        end(node, subTask, TaskState.SUCCEED, null);
    }

    /** Fails the sub-task with its error line in the same transaction, so a FAILED sub-task always has a log. */
    void fail(NodeEntity node, SubTaskEntity subTask, TaskOperator operator, String errorLine) {
        TaskLogEntity.append(subTask.id, subTask.executeTimes, errorLine);
        end(node, subTask, TaskState.FAILED, operator);
    }

    /** Ends the node in {@code state}; a non-null {@code operator} records what ended it (CANCEL, PASS). */
    void end(NodeEntity node, SubTaskEntity subTask, TaskState state, TaskOperator operator) {
        OffsetDateTime now = OffsetDateTime.now();
        for (TaskRecordEntity record : List.of(node, subTask)) {
            record.state = state;
            record.endTime = now;
            if (record.startTime == null) {
                record.startTime = now;
            }
            if (operator != null) {
                record.operator = operator;
            }
        }
    }

    /** Ends the DAG and frees its maintenance key; every end counts, so readers can tell one from the next. */
    void finish(DagEntity dag, TaskState endState) {
        dag.state = endState;
        dag.endTime = OffsetDateTime.now();
        dag.finishCount++;
        locks.release(dag.id);
    }
}
