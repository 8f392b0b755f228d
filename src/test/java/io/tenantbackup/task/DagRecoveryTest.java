package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stopped service is simulated by writing the rows it would have left, then running the start-up recovery. */
@QuarkusTest
class DagRecoveryTest {

    @Inject
    DagRecovery recovery;

    @Inject
    TaskEngine engine;

    @Inject
    TaskQueries queries;

    @Inject
    TaskJournal journal;

    @Test
    void aNodeSafeToRerunIsResumed() {
        long dagId = strandedDag(TaskState.RUNNING, TestTasks.SafeToRerun.class, "t-safe");

        recovery.recoverInterruptedDags();

        DagDetail dag = Dags.awaitFinished(queries, dagId);
        assertEquals(TaskState.SUCCEED, dag.dag().state);
        DagDetail.SubTaskDetail subTask = dag.nodes().get(1).subTasks().get(0);
        assertEquals(2, subTask.subTask().executeTimes);
        assertEquals(List.of("Resumed after a service restart", "SafeToRerun done"), subTask.logLines());
        assertEquals(List.of("execute:SafeToRerun", "execute:Third"), journal.of(dagId));
        assertTrue(queries.unfinishedDags().stream().noneMatch(d -> d.id == dagId));
    }

    @Test
    void aNodeNotSafeToRerunFailsWithTheReasonAndIsCleanedUp() {
        long dagId = strandedDag(TaskState.RUNNING, TestTasks.NotSafeToRerun.class, "t-unsafe");

        recovery.recoverInterruptedDags();

        DagDetail dag = Dags.awaitFinished(queries, dagId);
        assertEquals(TaskState.FAILED, dag.dag().state);
        DagDetail.SubTaskDetail subTask = dag.nodes().get(1).subTasks().get(0);
        assertEquals(TaskState.FAILED, subTask.subTask().state);
        List<String> lines = subTask.logLines();
        assertEquals("ERROR: The service stopped while 'Interrupted step' was running; it cannot be resumed safely",
                lines.get(lines.size() - 1));
        assertEquals(List.of("cleanUp:NotSafeToRerun"), journal.of(dagId));

        DagTemplate next = DagTemplate.named("Next").node("First step", TestTasks.First.class)
                .exclusiveFor("t-unsafe").build();
        assertEquals(TaskState.SUCCEED, Dags.awaitFinished(queries, engine.submit(next, Map.of()).id).dag().state);
    }

    @Test
    void aReadyDagIsStartedAndCanBeCancelledBeforeItRuns() {
        long started = strandedDag(TaskState.READY, TestTasks.SafeToRerun.class, null);
        long cancelled = strandedDag(TaskState.READY, TestTasks.SafeToRerun.class, "t-ready");

        engine.operate(cancelled, "CANCEL");
        recovery.recoverInterruptedDags();

        assertEquals(TaskState.SUCCEED, Dags.awaitFinished(queries, started).dag().state);
        DagDetail dag = queries.dag(cancelled);
        assertEquals(TaskState.FAILED, dag.dag().state);
        assertEquals(TaskOperator.CANCEL, dag.dag().operator);
        List<String> lines = dag.nodes().get(1).subTasks().get(0).logLines();
        assertEquals(List.of("ERROR: Cancelled: DAG " + GenericId.encode(cancelled)
                + " (Interrupted backup) was cancelled before 'Interrupted step' started"), lines);
        assertEquals(List.of(), journal.of(cancelled));
    }

    /** The rows a service leaves when it stops while stage 2 of 3 runs (or before a READY DAG started). */
    private static long strandedDag(TaskState state, Class<? extends Task> secondTask, String tenant) {
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
