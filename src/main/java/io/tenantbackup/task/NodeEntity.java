package io.tenantbackup.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;

/** One stage of a DAG, run by the {@link Task} bean named by {@code taskClass}. */
@Entity
@Table(name = "node")
public class NodeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dag_id")
    public long dagId;

    public int stage;

    public String name;

    @Column(name = "task_class")
    public String taskClass;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    public TaskState state;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    public TaskOperator operator;

    @Column(name = "start_time")
    public OffsetDateTime startTime;

    @Column(name = "end_time")
    public OffsetDateTime endTime;

    public static NodeEntity atStage(long dagId, int stage) {
        return find("dagId = ?1 and stage = ?2", dagId, stage).singleResult();
    }

    public String genericId() {
        return GenericId.encode(id);
    }
}
