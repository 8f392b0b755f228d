package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.Predicate;

/** Waiting helpers for engine tests: DAGs run on worker threads. */
final class Dags {

    private Dags() {
    }

    static DagDetail awaitFinished(TaskQueries queries, long dagId) {
        return await(queries, dagId, dag -> dag.dag().isFinished());
    }

    static DagDetail await(TaskQueries queries, long dagId, Predicate<DagDetail> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            DagDetail dag = queries.dag(dagId);
            if (condition.test(dag)) {
                return dag;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("DAG " + dagId + " did not reach the expected state; it is " + dag.dag().state);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The rows an agent leaves when it stops while stage 2 of 3 runs (or before a READY DAG started); {@code tenant}
     * null: a DAG without maintenance key.
     */
    static long stranded(String agent, TaskState state, Class<? extends Task> secondTask, String tenant) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DagEntity dag = new DagEntity();
            dag.name = "Interrupted backup";
            dag.stage = 2;
            dag.maxStage = 3;
            dag.state = state;
            dag.operator = TaskOperator.RUN;
            dag.maintenanceType = tenant == null ? DagEntity.MAINTENANCE_NONE : DagEntity.MAINTENANCE_TENANT;
            dag.maintenanceKey = tenant == null ? "" : tenant;
            dag.params = "{\"First\":\"done\"}";
            dag.startTime = OffsetDateTime.now();
            dag.executeAgent = agent;
            dag.persist();
            node(dag.id, 1, "First step", TestTasks.First.class, TaskState.SUCCEED, 1);
            boolean running = state == TaskState.RUNNING;
            node(dag.id, 2, "Interrupted step", secondTask, running ? TaskState.RUNNING : TaskState.PENDING,
                    running ? 1 : 0);
            node(dag.id, 3, "Third step", TestTasks.Third.class, TaskState.PENDING, 0);
            if (tenant != null) {
                MaintenanceLockEntity lock = new MaintenanceLockEntity();
                lock.lockKey = tenant;
                lock.dagId = dag.id;
                lock.persist();
            }
            return dag.id;
        });
    }

    private static void node(long dagId, int stage, String name, Class<? extends Task> task, TaskState state,
                             int executeTimes) {
        NodeEntity node = new NodeEntity();
        node.dagId = dagId;
        node.stage = stage;
        node.name = name;
        node.taskClass = task.getName();
        node.state = state;
        node.operator = TaskOperator.RUN;
        node.persist();
        SubTaskEntity subTask = new SubTaskEntity();
        subTask.nodeId = node.id;
        subTask.dagId = dagId;
        subTask.name = name;
        subTask.state = state;
        subTask.operator = TaskOperator.RUN;
        subTask.executeTimes = executeTimes;
        subTask.additionalData = "{}";
        subTask.persist();
    }
}
