package io.tenantbackup.task;

import java.util.Map;

/** What the runner needs of one sub-task execution, read in a short transaction before the task runs. */
record RunningSubTask(long dagId, String dagName, int stage, long nodeId, String nodeName, String taskClass,
                      long subTaskId, int executeTimes, Map<String, String> params,
                      String outputs) {

    static RunningSubTask of(DagEntity dag, NodeEntity node, SubTaskEntity subTask) {
        return new RunningSubTask(dag.id, dag.name, node.stage, node.id, node.name, node.taskClass, subTask.id,
                subTask.executeTimes, dag.paramMap(), dag.outputs);
    }
}
