package io.tenantbackup.task;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertTrue(dag.dag().endTime != null);
    }
}
