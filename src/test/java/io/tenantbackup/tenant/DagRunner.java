package io.tenantbackup.tenant;

import io.quarkus.arc.Arc;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.Task;

/** Runs a planned DAG's nodes in order the way the engine does: the first failure is followed by its cleanUp. */
final class DagRunner {

    private DagRunner() {
    }

    /** The outcome: the failed node's name and exception, or null for both when every node succeeded. */
    record Outcome(RecordingTaskContext context, String failedNode, Exception failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    static Outcome run(PlannedDag dag) {
        RecordingTaskContext context = new RecordingTaskContext(dag.template().name(), dag.params());
        for (DagTemplate.NodeTemplate node : dag.template().nodes()) {
            Task task = Arc.container().instance(node.task()).get();
            try {
                task.execute(context);
            } catch (Exception e) {
                context.log("ERROR: " + e.getMessage());
                task.cleanUp(context);
                return new Outcome(context, node.name(), e);
            }
        }
        return new Outcome(context, null, null);
    }
}
