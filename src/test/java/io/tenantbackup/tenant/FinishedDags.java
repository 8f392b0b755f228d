package io.tenantbackup.tenant;

import io.tenantbackup.task.DagDetail;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskQueries;
import io.tenantbackup.task.TaskState;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Waits for a tenant DAG that runs on the engine's workers, and reads what it did. */
final class FinishedDags {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private FinishedDags() {
    }

    static DagDetail await(TaskQueries queries, DagEntity submitted) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        DagDetail dag = queries.dag(submitted.id);
        while (!dag.dag().isFinished()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("DAG " + submitted.id + " (" + submitted.name + ") did not finish in " + LIMIT);
            }
            Thread.sleep(100);
            dag = queries.dag(submitted.id);
        }
        return dag;
    }

    static void assertSucceeded(DagDetail dag) {
        if (dag.dag().state != TaskState.SUCCEED) {
            throw new AssertionError("DAG " + dag.dag().name + " ended " + dag.dag().state + ": " + logLines(dag));
        }
    }

    static Optional<DagDetail.NodeDetail> failedNode(DagDetail dag) {
        return dag.nodes().stream().filter(node -> node.node().state == TaskState.FAILED).findFirst();
    }

    static List<String> logLines(DagDetail dag) {
        return dag.nodes().stream()
                .flatMap(node -> node.subTasks().stream())
                .flatMap(subTask -> subTask.logLines().stream())
                .toList();
    }
}
