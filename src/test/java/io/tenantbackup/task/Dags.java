package io.tenantbackup.task;

import java.time.Duration;
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
}
