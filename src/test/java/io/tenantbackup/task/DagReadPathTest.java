package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.testing.SqlStatements;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DAG reads SDKs poll every second: a fixed number of SQL statements whatever the size of the DAG, finished DAGs
 * served from the cache, and a transition visible to the very next read.
 */
@QuarkusTest
class DagReadPathTest {

    /** Summary: the DAG row, in autocommit mode (no transaction to begin and end). */
    static final int SUMMARY_STATEMENTS = 1;
    /** Details: START TRANSACTION READ ONLY, the row, the nodes with their sub-tasks, the logs, COMMIT. */
    static final int DETAIL_STATEMENTS = 5;
    /** A node with its sub-task (or a sub-task), then its logs. */
    static final int NODE_STATEMENTS = 2;

    @Inject
    TaskEngine engine;

    @Inject
    TaskQueries queries;

    @Test
    void dagReadsIssueAFixedNumberOfStatementsWhateverTheNumberOfNodes() {
        DagEntity small = waitingDag(1);
        DagEntity large = waitingDag(6);
        try {
            for (DagEntity dag : List.of(small, large)) {
                List<String> summary = statementsOf("/api/v1/task/dag/" + dag.genericId() + "?show_details=false");
                assertEquals(SUMMARY_STATEMENTS, summary.size(), () -> "summary of " + dag.name + ": " + summary);
                List<String> detailed = statementsOf("/api/v1/task/dag/" + dag.genericId() + "?show_details=true");
                assertEquals(DETAIL_STATEMENTS, detailed.size(), () -> "details of " + dag.name + ": " + detailed);
                var first = api().get("/api/v1/task/dag/" + dag.genericId()).then().extract();
                List<String> nodeRead = statementsOf("/api/v1/task/node/" + first.path("data.nodes[0].id"));
                assertEquals(NODE_STATEMENTS, nodeRead.size(), () -> "node of " + dag.name + ": " + nodeRead);
                List<String> subTaskRead = statementsOf("/api/v1/task/sub_task/"
                        + first.path("data.nodes[0].sub_tasks[0].id"));
                assertEquals(NODE_STATEMENTS, subTaskRead.size(), () -> "sub-task of " + dag.name + ": " + subTaskRead);
            }
            api().get("/api/v1/task/dag/" + large.genericId()).then()
                    .body("data.nodes.size()", equalTo(7))
                    .body("data.nodes[5].sub_tasks[0].task_logs", contains("First done"))
                    .body("data.nodes[6].state", equalTo("RUNNING"));
        } finally {
            engine.cancel(small.id);
            engine.cancel(large.id);
        }
        DagEntity finished = awaitFinished(large.id);

        api().get("/api/v1/task/dag/" + finished.genericId()).then().body("data.state", equalTo("FAILED"));
        List<String> cached = statementsOf("/api/v1/task/dag/" + finished.genericId());
        assertEquals(List.of(), cached.stream().filter(sql -> !sql.contains(" dag ")).toList(),
                "a finished DAG's nodes come from the cache; only its row is read: " + cached);
        assertEquals(SUMMARY_STATEMENTS, cached.size(), () -> "cached details: " + cached);
    }

    @Test
    void aReadRightAfterATransitionShowsItEvenForACachedFinishedDag() {
        DagEntity dag = engine.submit(DagTemplate.named("Flaky twice")
                .node("Flaky", TestTasks.Flaky.class)
                .build(), Map.of("fail_until", "2"));
        awaitFinished(dag.id);
        for (int read = 0; read < 2; read++) {
            api().get("/api/v1/task/dag/" + dag.genericId()).then()
                    .body("data.state", equalTo("FAILED"))
                    .body("data.nodes[0].state", equalTo("FAILED"))
                    .body("data.nodes[0].sub_tasks[0].execute_times", equalTo(1));
        }

        api().body("{\"operator\":\"RETRY\"}").post("/api/v1/task/dag/" + dag.genericId()).then()
                .body("successful", equalTo(true));
        var justAfter = api().get("/api/v1/task/dag/" + dag.genericId()).then().extract();
        if (justAfter.path("data.state").equals("FAILED")) {
            assertEquals(2, (int) justAfter.path("data.nodes[0].sub_tasks[0].execute_times"),
                    "a FAILED DAG right after RETRY must be the second failure, not the cached first one");
        }
        DagEntity failedAgain = awaitFinished(dag.id);
        assertEquals(TaskState.FAILED, failedAgain.state);
        api().get("/api/v1/task/dag/" + dag.genericId()).then()
                .body("data.state", equalTo("FAILED"))
                .body("data.nodes[0].sub_tasks[0].execute_times", equalTo(2))
                .body("data.nodes[0].sub_tasks[0].task_logs", hasItem(startsWith("ERROR: ")));

        api().body("{\"operator\":\"PASS\"}").post("/api/v1/task/dag/" + dag.genericId()).then()
                .body("successful", equalTo(true));
        api().get("/api/v1/task/dag/" + dag.genericId()).then()
                .body("data.state", equalTo("SUCCEED"))
                .body("data.operator", equalTo("PASS"))
                .body("data.nodes.state", everyItem(equalTo("SUCCEED")))
                .body("data.nodes[0].operator", equalTo("PASS"));
        api().get("/api/v1/task/node/" + api().get("/api/v1/task/dag/" + dag.genericId()).then()
                        .extract().path("data.nodes[0].id")).then()
                .body("data.state", equalTo("SUCCEED"))
                .body("data.sub_tasks[0].operator", equalTo("PASS"));
    }

    @Test
    void plainJdbcReadsShowWhatHibernateLoads() {
        DagEntity dag = engine.submit(DagTemplate.named("Flaky once").node("Flaky", TestTasks.Flaky.class)
                .node("Second", TestTasks.First.class).build(), Map.of("fail_until", "1"));
        awaitFinished(dag.id);
        DagDetail read = queries.dag(dag.id);
        QuarkusTransaction.requiringNew().run(() -> {
            assertSameRecord(DagEntity.findById(dag.id), read.dag());
            DagEntity loaded = DagEntity.findById(dag.id);
            assertEquals(List.of(loaded.stage, loaded.maxStage, loaded.maintenanceType, loaded.maintenanceKey,
                    loaded.finishCount, loaded.executeAgent, loaded.params), List.of(read.dag().stage,
                    read.dag().maxStage, read.dag().maintenanceType, read.dag().maintenanceKey,
                    read.dag().finishCount, read.dag().executeAgent, read.dag().params));
            for (DagDetail.NodeDetail node : read.nodes()) {
                assertSameRecord(NodeEntity.findById(node.node().id), node.node());
                SubTaskEntity subTask = SubTaskEntity.findById(node.subTasks().get(0).subTask().id);
                assertSameRecord(subTask, node.subTasks().get(0).subTask());
                assertEquals(List.of(subTask.nodeId, subTask.executeTimes, subTask.additionalData),
                        List.of(node.node().id, node.subTasks().get(0).subTask().executeTimes,
                                node.subTasks().get(0).subTask().additionalData));
                assertEquals(TaskLogEntity.ofSubTask(subTask.id).stream().map(log -> log.logContent).toList(),
                        node.subTasks().get(0).logLines());
            }
        });
        assertEquals(read.nodes().get(0).subTasks().get(0).logLines(),
                queries.node(read.nodes().get(0).node().id).subTasks().get(0).logLines());
        assertTrue(read.nodes().get(0).subTasks().get(0).logLines().stream().anyMatch(line -> line.startsWith("ERROR: ")));
    }

    private static void assertSameRecord(TaskRecordEntity loaded, TaskRecordEntity read) {
        assertEquals(List.of(loaded.id, loaded.name, loaded.state, loaded.operator),
                List.of(read.id, read.name, read.state, read.operator));
        assertEquals(loaded.startTime, read.startTime, "start time of " + loaded.name);
        assertEquals(loaded.endTime, read.endTime, "end time of " + loaded.name);
    }

    /** {@code firstNodes} quick nodes, then one that runs until cancelled; returns once that one runs. */
    private DagEntity waitingDag(int firstNodes) {
        DagTemplate.Builder template = DagTemplate.named(firstNodes + " done, one waiting");
        for (int i = 1; i <= firstNodes; i++) {
            template.node("Step " + i, TestTasks.First.class);
        }
        DagEntity dag = engine.submit(template.node("Wait", TestTasks.WaitsForCancel.class).build(), Map.of());
        await(dag.id, row -> row.state == TaskState.RUNNING && row.stage == firstNodes + 1);
        return dag;
    }

    private static List<String> statementsOf(String path) {
        return SqlStatements.fewestOf(10, () -> api().get(path).then().statusCode(200));
    }

    private DagEntity awaitFinished(long dagId) {
        return await(dagId, DagEntity::isFinished);
    }

    /** Polls the DAG row only, so that no detailed read fills the cache before a test reads it. */
    private DagEntity await(long dagId, java.util.function.Predicate<DagEntity> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            DagEntity dag = queries.dagSummary(dagId);
            if (condition.test(dag)) {
                return dag;
            }
            assertTrue(System.nanoTime() < deadline, "DAG " + dagId + " is still " + dag.state);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
