package io.tenantbackup.task;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One stage of a DAG, run by the {@link Task} bean named by {@code taskClass}. */
@Entity
@Table(name = "node")
public class NodeEntity extends TaskRecordEntity {

    @Column(name = "dag_id")
    public long dagId;

    public int stage;

    @Column(name = "task_class")
    public String taskClass;

    public static NodeEntity atStage(long dagId, int stage) {
        return find("dagId = ?1 and stage = ?2", dagId, stage).singleResult();
    }
}
