package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.hibernate.jpa.HibernateHints;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Read side of the engine for the task endpoints. Ids are raw ids; decode generic ids with {@link GenericId}. Each
 * read issues a fixed number of queries whatever the size of the DAG: one for a DAG summary, at most four for a DAG
 * with its nodes, sub-tasks and logs (one when a finished DAG is in {@link FinishedDagCache}).
 */
@ApplicationScoped
@Transactional
public class TaskQueries {

    @Inject
    FinishedDagCache finished;

    /** The DAG row alone: what obshell shows without details. */
    public DagEntity dagSummary(long dagId) {
        return DagEntity.<DagEntity>findByIdOptional(dagId).orElseThrow(TaskErrors::notFound);
    }

    public DagDetail dag(long dagId) {
        DagEntity dag = dagSummary(dagId);
        List<DagDetail.NodeDetail> nodes = finished.nodes(dag).orElseGet(() -> {
            List<DagDetail.NodeDetail> loaded = nodes(dag);
            finished.offer(dag, loaded);
            return loaded;
        });
        return new DagDetail(dag, nodes);
    }

    public DagDetail.NodeDetail node(long nodeId) {
        NodeEntity node = NodeEntity.<NodeEntity>findByIdOptional(nodeId).orElseThrow(TaskErrors::notFound);
        return new DagDetail.NodeDetail(node, List.of(detail(SubTaskEntity.ofNode(node.id))));
    }

    public DagDetail.SubTaskDetail subTask(long subTaskId) {
        return detail(SubTaskEntity.<SubTaskEntity>findByIdOptional(subTaskId).orElseThrow(TaskErrors::notFound));
    }

    public List<TaskLogEntity> logs(long subTaskId) {
        if (SubTaskEntity.findById(subTaskId) == null) {
            throw TaskErrors.notFound();
        }
        return TaskLogEntity.ofSubTask(subTaskId);
    }

    /** DAGs whose state is neither SUCCEED nor FAILED, oldest first. */
    public List<DagEntity> unfinishedDags() {
        return DagEntity.list("state not in ?1 order by id", List.of(TaskState.SUCCEED, TaskState.FAILED));
    }

    /** The most recent DAG that worked under {@code maintenanceKey} (a tenant name), finished or not. */
    public Optional<DagEntity> latestDag(String maintenanceKey) {
        return DagEntity.find("maintenanceKey = ?1 order by id desc", maintenanceKey).firstResultOptional();
    }

    /** The nodes of a DAG in stage order with their sub-tasks and logs, in three queries. */
    private List<DagDetail.NodeDetail> nodes(DagEntity dag) {
        long dagId = dag.id;
        List<NodeEntity> nodes = NodeEntity.<NodeEntity>find("dagId = ?1 order by stage", dagId)
                .withHint(HibernateHints.HINT_READ_ONLY, true).list();
        Map<Long, SubTaskEntity> subTaskOfNode = SubTaskEntity.<SubTaskEntity>find("dagId", dagId)
                .withHint(HibernateHints.HINT_READ_ONLY, true).stream()
                .collect(Collectors.toMap(subTask -> subTask.nodeId, Function.identity()));
        Map<Long, List<TaskLogEntity>> logsOfSubTask = subTaskOfNode.isEmpty() ? Map.of()
                : TaskLogEntity.<TaskLogEntity>find("subTaskId in ?1 order by subTaskId, id",
                        subTaskOfNode.values().stream().map(subTask -> subTask.id).toList())
                .withHint(HibernateHints.HINT_READ_ONLY, true).stream()
                .collect(Collectors.groupingBy(log -> log.subTaskId));
        return nodes.stream().map(node -> {
            SubTaskEntity subTask = subTaskOfNode.get(node.id);
            return new DagDetail.NodeDetail(node, List.of(new DagDetail.SubTaskDetail(subTask,
                    logsOfSubTask.getOrDefault(subTask.id, List.of()), dag.executeAgent)));
        }).toList();
    }

    private DagDetail.SubTaskDetail detail(SubTaskEntity subTask) {
        return new DagDetail.SubTaskDetail(subTask, TaskLogEntity.ofSubTask(subTask.id),
                dagSummary(subTask.dagId).executeAgent);
    }
}
