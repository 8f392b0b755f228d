package io.tenantbackup.task;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.scheduler.Scheduler;
import io.tenantbackup.agent.LocalAgent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

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

    @Inject
    LocalAgent local;

    @Inject
    Scheduler scheduler;

    @Test
    void aNodeSafeToRerunIsResumed() {
        long dagId = Dags.stranded(local.identity(), TaskState.RUNNING, TestTasks.SafeToRerun.class, "t-safe");

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
        long dagId = Dags.stranded(local.identity(), TaskState.RUNNING, TestTasks.NotSafeToRerun.class, "t-unsafe");

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
        scheduler.pause(DagClaimer.JOB); // it would start the READY DAGs before the cancel below
        try {
            readyDagsAreStartedAndCancelledOnes();
        } finally {
            scheduler.resume(DagClaimer.JOB);
        }
    }

    private void readyDagsAreStartedAndCancelledOnes() {
        long started = Dags.stranded(local.identity(), TaskState.READY, TestTasks.SafeToRerun.class, null);
        long cancelled = Dags.stranded(local.identity(), TaskState.READY, TestTasks.SafeToRerun.class, "t-ready");

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
}
