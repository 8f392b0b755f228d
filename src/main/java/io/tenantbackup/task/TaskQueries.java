package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/** Read side of the engine for the task endpoints. Ids are raw ids; decode generic ids with {@link GenericId}. */
@ApplicationScoped
@Transactional
public class TaskQueries {

    public DagDetail dag(long dagId) {
        DagEntity dag = DagEntity.<DagEntity>findByIdOptional(dagId).orElseThrow(TaskErrors::notFound);
        List<DagDetail.NodeDetail> nodes = NodeEntity.<NodeEntity>list("dagId = ?1 order by stage", dagId).stream()
                .map(this::detail)
                .toList();
        return new DagDetail(dag, nodes);
    }

    public DagDetail.NodeDetail node(long nodeId) {
        return detail(NodeEntity.<NodeEntity>findByIdOptional(nodeId).orElseThrow(TaskErrors::notFound));
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

    private DagDetail.NodeDetail detail(NodeEntity node) {
        return new DagDetail.NodeDetail(node, List.of(detail(SubTaskEntity.ofNode(node.id))));
    }

    private DagDetail.SubTaskDetail detail(SubTaskEntity subTask) {
        return new DagDetail.SubTaskDetail(subTask, TaskLogEntity.ofSubTask(subTask.id));
    }
}
