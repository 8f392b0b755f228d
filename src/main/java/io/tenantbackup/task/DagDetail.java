package io.tenantbackup.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A DAG with its nodes in stage order, each with its sub-tasks and their logs: what the task endpoints show. */
public record DagDetail(DagEntity dag, List<NodeDetail> nodes) {

    /** obshell's DAG additional_data: the data of all sub-tasks merged in stage order. */
    public Map<String, String> additionalData() {
        Map<String, String> merged = new LinkedHashMap<>();
        nodes.forEach(node -> node.subTasks().forEach(subTask -> merged.putAll(subTask.subTask().additionalDataMap())));
        return merged;
    }

    public record NodeDetail(NodeEntity node, List<SubTaskDetail> subTasks) {
    }

    /**
     * {@code logLines}: the sub-task's log lines in order (none for a sub-task that has not started yet);
     * {@code executeAgent}: the {@code ip:port} of the agent that runs the sub-task's DAG.
     */
    public record SubTaskDetail(SubTaskEntity subTask, List<String> logLines, String executeAgent) {
    }
}
