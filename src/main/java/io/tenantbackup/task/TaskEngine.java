package io.tenantbackup.task;

import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.error.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates DAG instances from templates and applies obshell's operators to them. Work always runs on the engine's
 * workers, started only once the caller's transaction has committed, and only on the DAG's execute agent: a DAG for
 * a tenant of another agent is only written here, and that agent's {@link DagClaimer} picks it up.
 */
@ApplicationScoped
public class TaskEngine {

    @Inject
    DagRunner runner;

    @Inject
    DagRecords records;

    @Inject
    MaintenanceLocks locks;

    @Inject
    AfterCommit afterCommit;

    @Inject
    DagPlacement placement;

    @Inject
    LocalAgent local;

    /**
     * Persists a READY DAG with PENDING nodes and runs it after the surrounding (or its own) transaction commits.
     * Throws {@code OB.Tenant.UnderMaintenance} when another unfinished DAG holds the template's maintenance key.
     */
    @Transactional
    public DagEntity submit(DagTemplate template, Map<String, String> params) {
        Map<String, String> values = new LinkedHashMap<>(params == null ? Map.of() : params);
        values.forEach((key, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("DAG '" + template.name() + "' parameter '" + key + "' is null");
            }
        });
        DagEntity dag = new DagEntity();
        dag.name = template.name();
        dag.stage = 1;
        dag.maxStage = template.nodes().size();
        dag.state = TaskState.READY;
        dag.operator = TaskOperator.RUN;
        dag.maintenanceType = template.maintenanceKey() == null ? DagEntity.MAINTENANCE_NONE : DagEntity.MAINTENANCE_TENANT;
        dag.maintenanceKey = template.maintenanceKey() == null ? "" : template.maintenanceKey();
        dag.params = JsonMap.write(values);
        dag.startTime = OffsetDateTime.now();
        dag.executeAgent = placement.agentFor(template.tenant());
        dag.persist();
        if (template.maintenanceKey() != null) {
            locks.acquire(template.maintenanceKey(), dag.id);
        }
        List<DagTemplate.NodeTemplate> nodes = template.nodes();
        for (int index = 0; index < nodes.size(); index++) {
            createNode(dag.id, index + 1, nodes.get(index));
        }
        startOnThisAgent(dag);
        return dag;
    }

    /**
     * Applies RETRY, ROLLBACK, CANCEL or PASS (case-insensitive) with obshell's preconditions. Runs in its own
     * transaction, like the other operators, so that it reads the DAG as it is now.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void operate(long dagId, String operator) {
        TaskOperator requested = TaskOperator.ofUserRequest(operator, dagId);
        DagEntity dag = records.lockDag(dagId);
        switch (requested) {
            case RETRY:
                retry(dag);
                break;
            case ROLLBACK:
                rollBack(dag);
                break;
            case CANCEL:
                cancel(dag);
                break;
            case PASS:
                pass(dag);
                break;
            default:
                throw new IllegalStateException("Unhandled operator " + requested);
        }
    }

    /** Cancels a DAG by raw id; a running task is stopped through its cancellation signal. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void cancel(long dagId) {
        cancel(records.lockDag(dagId));
    }

    /** Cancels the unfinished DAG holding {@code maintenanceKey} (a tenant name); empty when there is none. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<DagEntity> cancelUnfinished(String maintenanceKey) {
        Optional<Long> holder = locks.holder(maintenanceKey);
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        DagEntity dag = records.lockDag(holder.get());
        if (dag.isFinished()) {
            return Optional.empty();
        }
        cancel(dag);
        return Optional.of(dag);
    }

    private void createNode(long dagId, int stage, DagTemplate.NodeTemplate template) {
        NodeEntity node = new NodeEntity();
        node.dagId = dagId;
        node.stage = stage;
        node.name = template.name();
        node.taskClass = template.task().getName();
        node.state = TaskState.PENDING;
        node.operator = TaskOperator.RUN;
        node.persist();
        SubTaskEntity subTask = new SubTaskEntity();
        subTask.nodeId = node.id;
        subTask.dagId = dagId;
        subTask.name = template.name();
        subTask.state = TaskState.PENDING;
        subTask.operator = TaskOperator.RUN;
        subTask.additionalData = JsonMap.write(Map.of());
        subTask.persist();
    }

    private void retry(DagEntity dag) {
        requireFailed(dag, TaskErrors.RETRY_NOT_FAILED_DAG, "retried");
        reenterMaintenance(dag);
        NodeEntity node = records.currentNode(dag);
        records.reset(node, SubTaskEntity.ofNode(node.id), TaskOperator.RETRY);
        dag.operator = TaskOperator.RUN;
        restart(dag);
    }

    private void rollBack(DagEntity dag) {
        requireFailed(dag, TaskErrors.ROLLBACK_NOT_FAILED_DAG, "rolled back");
        reenterMaintenance(dag);
        dag.operator = TaskOperator.ROLLBACK;
        restart(dag);
    }

    private void pass(DagEntity dag) {
        requireFailed(dag, TaskErrors.PASS_NOT_FAILED_DAG, "passed");
        for (NodeEntity node : NodeEntity.<NodeEntity>list("dagId = ?1 and state <> ?2", dag.id, TaskState.SUCCEED)) {
            records.end(node, SubTaskEntity.ofNode(node.id), TaskState.SUCCEED, TaskOperator.PASS);
        }
        dag.operator = TaskOperator.PASS;
        dag.stage = dag.maxStage;
        records.finish(dag, TaskState.SUCCEED);
    }

    private void cancel(DagEntity dag) {
        if (dag.isFinished()) {
            throw new ServiceException(TaskErrors.CANCEL_FINISHED_DAG, "DAG " + dag.genericId() + " (" + dag.name
                    + ") has already finished with state " + dag.state + "; it cannot be cancelled");
        }
        if (dag.operator == TaskOperator.ROLLBACK) {
            throw new ServiceException(TaskErrors.CANCEL_NOT_ALLOWED, "DAG " + dag.genericId() + " (" + dag.name
                    + ") is being rolled back; a rollback cannot be cancelled");
        }
        if (dag.operator == TaskOperator.CANCEL) {
            return;
        }
        dag.operator = TaskOperator.CANCEL;
        long dagId = dag.id;
        String reason = "DAG " + dag.genericId() + " (" + dag.name + ") was cancelled";
        if (dag.state == TaskState.RUNNING && !local.is(dag.executeAgent)) {
            return; // its agent's DagClaimer sees the operator and stops the task there
        }
        if (dag.state == TaskState.RUNNING && runner.isActive(dagId)) {
            afterCommit.run(() -> runner.signalCancel(dagId, reason));
        } else if (dag.state == TaskState.RUNNING) {
            afterCommit.run(() -> runner.failInterrupted(dagId, "ERROR: Cancelled: " + reason));
        } else {
            NodeEntity node = records.currentNode(dag);
            records.fail(node, SubTaskEntity.ofNode(node.id), TaskOperator.CANCEL,
                    "ERROR: Cancelled: " + reason + " before '" + node.name + "' started");
            records.finish(dag, TaskState.FAILED);
        }
    }

    private void requireFailed(DagEntity dag, ErrorCode code, String verb) {
        if (dag.state != TaskState.FAILED) {
            throw new ServiceException(code, "DAG " + dag.genericId() + " (" + dag.name + ") is " + dag.state
                    + "; only a FAILED DAG can be " + verb);
        }
    }

    /** A retried or rolled-back DAG works on its tenant again, so it must hold the tenant's key again. */
    private void reenterMaintenance(DagEntity dag) {
        if (dag.maintenanceType == DagEntity.MAINTENANCE_TENANT) {
            locks.acquire(dag.maintenanceKey, dag.id);
        }
    }

    private void restart(DagEntity dag) {
        dag.state = TaskState.READY;
        dag.endTime = null;
        startOnThisAgent(dag);
    }

    /** Runs the READY DAG here after the commit if this agent executes it; otherwise its agent claims it. */
    private void startOnThisAgent(DagEntity dag) {
        long dagId = dag.id;
        if (local.is(dag.executeAgent)) {
            afterCommit.run(() -> runner.start(dagId));
        }
    }
}
