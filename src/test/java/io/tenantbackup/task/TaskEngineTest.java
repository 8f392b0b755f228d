package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.error.ServiceException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class TaskEngineTest {

    @Inject
    TaskEngine engine;

    @Inject
    TaskQueries queries;

    @Inject
    TaskJournal journal;

    @Test
    void runsAllStagesInOrderWithLogsAndData() {
        DagTemplate template = DagTemplate.named("Three steps")
                .node("First step", TestTasks.First.class)
                .node("Second step", TestTasks.Second.class)
                .node("Third step", TestTasks.Third.class)
                .build();

        DagEntity submitted = engine.submit(template, Map.of("tenant", "t1"));

        assertEquals(TaskState.READY, submitted.state);
        DagDetail dag = Dags.awaitFinished(queries, submitted.id);
        assertEquals(TaskState.SUCCEED, dag.dag().state);
        assertEquals(TaskOperator.RUN, dag.dag().operator);
        assertEquals(3, dag.dag().stage);
        assertEquals(List.of("execute:First", "execute:Second", "execute:Third"), journal.of(submitted.id));
        assertEquals(List.of("First step", "Second step", "Third step"),
                dag.nodes().stream().map(node -> node.node().name).toList());
        dag.nodes().forEach(node -> {
            assertEquals(TaskState.SUCCEED, node.node().state);
            DagDetail.SubTaskDetail subTask = node.subTasks().get(0);
            assertEquals(TaskState.SUCCEED, subTask.subTask().state);
            assertEquals(1, subTask.subTask().executeTimes);
            assertEquals(1, subTask.logLines().size());
        });
        assertEquals(List.of("Second done"), dag.nodes().get(1).subTasks().get(0).logLines());
        assertEquals(Map.of("Second", "done", "seen_first", "done"),
                dag.nodes().get(1).subTasks().get(0).subTask().additionalDataMap());
        assertEquals("t1", dag.dag().paramMap().get("tenant"));
        assertEquals("done", dag.dag().paramMap().get("Third"));
        assertEquals(Map.of("First", "done", "Second", "done", "seen_first", "done", "Third", "done"),
                dag.additionalData());
        assertNotNull(dag.dag().endTime);
    }

    @Test
    void aLogLineStaysWhenTheTransactionItWasWrittenInRollsBack() {
        DagTemplate template = DagTemplate.named("Log in a transaction")
                .node("Logs", TestTasks.LogsInRolledBackTransaction.class)
                .node("After", TestTasks.Third.class)
                .build();

        DagDetail dag = Dags.awaitFinished(queries, engine.submit(template, Map.of("tenant", "t1")).id);

        assertEquals(TaskState.SUCCEED, dag.dag().state);
        assertEquals(List.of("logged inside a transaction that was rolled back"),
                dag.nodes().get(0).subTasks().get(0).logLines());
        assertEquals(List.of("Third done"), dag.nodes().get(1).subTasks().get(0).logLines());
    }

    @Test
    void aTypedOutputReachesLaterNodesApartFromTheParametersAndShownFiguresStayInTheSubTask() {
        DagTemplate template = DagTemplate.named("Typed result")
                .node("Publish", TestTasks.Publisher.class)
                .node("Read", TestTasks.Reader.class)
                .build();

        DagDetail dag = Dags.awaitFinished(queries, engine.submit(template, Map.of("tenant", "t1")).id);

        assertEquals(TaskState.SUCCEED, dag.dag().state);
        assertEquals(List.of("mariabackup 10.11 1099511627776 [a, b] null", "unpublished: Optional.empty"),
                dag.nodes().get(1).subTasks().get(0).logLines());
        assertEquals(Map.of("tenant", "t1"), dag.dag().paramMap(), "parameters stay what the request gave");
        assertEquals(Map.of("progress_percent", "100"),
                dag.nodes().get(0).subTasks().get(0).subTask().additionalDataMap());
        assertEquals(Map.of("progress_percent", "100"), dag.additionalData());
    }

    @Test
    void aFailingNodeFailsTheDagWithItsErrorAsLastLineAndIsCleanedUp() {
        DagEntity submitted = engine.submit(flakyTemplate("t-fail"), Map.of("fail_until", "99"));

        DagDetail dag = Dags.awaitFinished(queries, submitted.id);

        assertEquals(TaskState.FAILED, dag.dag().state);
        assertEquals(TaskOperator.RUN, dag.dag().operator);
        assertEquals(2, dag.dag().stage);
        DagDetail.NodeDetail failed = dag.nodes().get(1);
        assertEquals(TaskState.FAILED, failed.node().state);
        assertEquals(TaskState.FAILED, failed.subTasks().get(0).subTask().state);
        List<String> lines = failed.subTasks().get(0).logLines();
        assertEquals("ERROR: disk full while writing /tmp/tb-eng/x", lines.get(lines.size() - 1));
        assertTrue(lines.contains("Removed what Flaky left"), lines::toString);
        assertEquals(TaskState.PENDING, dag.nodes().get(2).node().state);
        assertEquals(List.of("execute:First", "execute:Flaky", "cleanUp:Flaky"), journal.of(submitted.id));
        assertTrue(queries.unfinishedDags().stream().noneMatch(d -> d.id.equals(submitted.id)));

        DagEntity next = engine.submit(flakyTemplate("t-fail"), Map.of());
        assertEquals(TaskState.SUCCEED, Dags.awaitFinished(queries, next.id).dag().state);
        assertEquals(next.id, queries.latestDag("t-fail").orElseThrow().id);
    }

    @Test
    void retryRunsTheFailedNodeAgainAndTheRest() {
        DagEntity submitted = engine.submit(flakyTemplate("t-retry"), Map.of("fail_until", "1"));
        assertEquals(TaskState.FAILED, Dags.awaitFinished(queries, submitted.id).dag().state);

        engine.operate(submitted.id, "retry");

        DagDetail dag = Dags.awaitFinished(queries, submitted.id);
        assertEquals(TaskState.SUCCEED, dag.dag().state);
        assertEquals(TaskOperator.RUN, dag.dag().operator);
        DagDetail.NodeDetail retried = dag.nodes().get(1);
        assertEquals(TaskOperator.RETRY, retried.node().operator);
        assertEquals(2, retried.subTasks().get(0).subTask().executeTimes);
        List<TaskLogEntity> logs = queries.logs(retried.subTasks().get(0).subTask().id);
        assertEquals(List.of("Copying /tmp/tb-eng/x", "ERROR: disk full while writing /tmp/tb-eng/x",
                "Removed what Flaky left", "ERROR: disk full while writing /tmp/tb-eng/x", "Flaky done"),
                logs.stream().map(log -> log.logContent).toList());
        assertEquals(List.of(1, 1, 1, 1, 2), logs.stream().map(log -> log.executeTimes).toList());
        assertEquals(List.of("execute:First", "execute:Flaky", "cleanUp:Flaky", "execute:Flaky", "execute:Third"),
                journal.of(submitted.id));
        assertCode("Task.Dag.Operator.RetryNotFailedDag", 400, () -> engine.operate(submitted.id, "RETRY"));
    }

    @Test
    void cancelStopsTheRunningTaskThroughItsSignal() {
        DagTemplate template = DagTemplate.named("Long copy")
                .node("Copy", TestTasks.WaitsForCancel.class)
                .node("After copy", TestTasks.Third.class)
                .exclusiveFor("t-cancel")
                .build();
        DagEntity submitted = engine.submit(template, Map.of());
        Dags.await(queries, submitted.id, dag -> journal.of(submitted.id).contains("execute:WaitsForCancel"));

        engine.operate(submitted.id, "Cancel");

        DagDetail dag = Dags.awaitFinished(queries, submitted.id);
        assertEquals(TaskState.FAILED, dag.dag().state);
        assertEquals(TaskOperator.CANCEL, dag.dag().operator);
        DagDetail.NodeDetail cancelled = dag.nodes().get(0);
        assertEquals(TaskState.FAILED, cancelled.node().state);
        assertEquals(TaskOperator.CANCEL, cancelled.node().operator);
        List<String> lines = cancelled.subTasks().get(0).logLines();
        assertEquals("ERROR: Cancelled: DAG " + submitted.genericId() + " (Long copy) was cancelled",
                lines.get(lines.size() - 1));
        assertEquals(List.of("execute:WaitsForCancel", "hook:WaitsForCancel", "cleanUp:WaitsForCancel"),
                journal.of(submitted.id));
        assertEquals(TaskState.PENDING, dag.nodes().get(1).node().state);
        assertCode("Task.Dag.Operator.CancelFinishedDag", 400, () -> engine.operate(submitted.id, "CANCEL"));
    }

    @Test
    void cancelByMaintenanceKeyFreesTheTenant() {
        DagTemplate template = DagTemplate.named("Long copy")
                .node("Copy", TestTasks.WaitsForCancel.class)
                .exclusiveFor("t-lock")
                .build();
        DagEntity holder = engine.submit(template, Map.of());

        ServiceException conflict = assertThrows(ServiceException.class, () -> engine.submit(template, Map.of()));

        assertEquals("OB.Tenant.UnderMaintenance", conflict.code().errCode());
        assertEquals(500, conflict.code().httpStatus());
        assertEquals("Tenant 't-lock' is under maintenance (DAG " + holder.genericId()
                + "), please try again later.", conflict.getMessage());
        assertEquals(List.of(holder.id), queries.unfinishedDags().stream()
                .filter(dag -> dag.maintenanceKey.equals("t-lock")).map(dag -> dag.id).toList());

        Dags.await(queries, holder.id, dag -> journal.of(holder.id).contains("execute:WaitsForCancel"));
        assertEquals(holder.id, engine.cancelUnfinished("t-lock").orElseThrow().id);
        assertEquals(TaskState.FAILED, Dags.awaitFinished(queries, holder.id).dag().state);
        assertTrue(engine.cancelUnfinished("t-lock").isEmpty());

        DagEntity next = engine.submit(template, Map.of());
        Dags.await(queries, next.id, dag -> journal.of(next.id).contains("execute:WaitsForCancel"));
        engine.cancel(next.id);
        assertEquals(TaskOperator.CANCEL, Dags.awaitFinished(queries, next.id).dag().operator);
    }

    @Test
    void aDagSubmittedInsideATransactionStartsOnlyAfterCommit() {
        DagTemplate template = DagTemplate.named("One step").node("First step", TestTasks.First.class).build();

        DagEntity submitted = QuarkusTransaction.requiringNew().call(() -> {
            DagEntity dag = engine.submit(template, Map.of());
            Thread.sleep(300);
            assertEquals(List.of(), journal.of(dag.id));
            return dag;
        });

        assertEquals(TaskState.SUCCEED, Dags.awaitFinished(queries, submitted.id).dag().state);
    }

    @Test
    void passEndsAFailedDagAsSucceeded() {
        DagEntity submitted = engine.submit(flakyTemplate(null), Map.of("fail_until", "99"));
        Dags.awaitFinished(queries, submitted.id);

        engine.operate(submitted.id, "pass");

        DagDetail dag = queries.dag(submitted.id);
        assertEquals(TaskState.SUCCEED, dag.dag().state);
        assertEquals(TaskOperator.PASS, dag.dag().operator);
        assertEquals(3, dag.dag().stage);
        dag.nodes().forEach(node -> assertEquals(TaskState.SUCCEED, node.subTasks().get(0).subTask().state));
        assertEquals(TaskOperator.PASS, dag.nodes().get(1).node().operator);
        assertEquals(TaskOperator.RUN, dag.nodes().get(0).node().operator);
        assertCode("Task.Dag.Operator.PassNotFailedDag", 400, () -> engine.operate(submitted.id, "PASS"));
        assertCode("Task.Dag.Operator.CancelFinishedDag", 400, () -> engine.operate(submitted.id, "CANCEL"));
    }

    @Test
    void rollbackCleansUpTheNodesThatRanInReverse() {
        DagEntity submitted = engine.submit(flakyTemplate("t-rollback"), Map.of("fail_until", "99"));
        Dags.awaitFinished(queries, submitted.id);

        engine.operate(submitted.id, "ROLLBACK");

        DagDetail dag = Dags.awaitFinished(queries, submitted.id);
        assertEquals(TaskState.SUCCEED, dag.dag().state);
        assertEquals(TaskOperator.ROLLBACK, dag.dag().operator);
        assertEquals(1, dag.dag().stage);
        assertEquals(List.of("execute:First", "execute:Flaky", "cleanUp:Flaky", "cleanUp:Flaky", "cleanUp:First"),
                journal.of(submitted.id));
        assertEquals(TaskOperator.ROLLBACK, dag.nodes().get(1).node().operator);
        assertEquals(TaskOperator.RUN, dag.nodes().get(2).node().operator);
        assertCode("Task.Dag.Operator.RollbackNotFailedDag", 400, () -> engine.operate(submitted.id, "ROLLBACK"));
    }

    @Test
    void unknownOperatorsAndDagsAreRejected() {
        DagEntity submitted = engine.submit(flakyTemplate(null), Map.of());
        Dags.awaitFinished(queries, submitted.id);

        assertCode("Task.Dag.Operator.NotSupport", 400, () -> engine.operate(submitted.id, "RUN"));
        assertCode("Task.Dag.Operator.NotSupport", 400, () -> engine.operate(submitted.id, "restart"));
        assertCode("Task.NotFound", 404, () -> engine.operate(987654321L, "CANCEL"));
    }

    private static DagTemplate flakyTemplate(String tenant) {
        DagTemplate.Builder builder = DagTemplate.named("Flaky backup")
                .node("First step", TestTasks.First.class)
                .node("Flaky step", TestTasks.Flaky.class)
                .node("Third step", TestTasks.Third.class);
        return tenant == null ? builder.build() : builder.exclusiveFor(tenant).build();
    }

    static void assertCode(String errCode, int status, Executable call) {
        ServiceException error = assertThrows(ServiceException.class, call);
        assertEquals(errCode, error.code().errCode(), error.getMessage());
        assertEquals(status, error.code().httpStatus());
    }
}
