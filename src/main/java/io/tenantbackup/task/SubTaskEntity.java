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
import java.util.Map;

/** The single execution unit of a node; its name is the node's name. */
@Entity
@Table(name = "sub_task")
public class SubTaskEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "node_id")
    public long nodeId;

    @Column(name = "dag_id")
    public long dagId;

    public String name;

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

    @Column(name = "execute_times")
    public int executeTimes;

    /** JSON object of the values this sub-task put. */
    @Column(name = "additional_data", columnDefinition = "TEXT")
    public String additionalData;

    public static SubTaskEntity ofNode(long nodeId) {
        return find("nodeId", nodeId).singleResult();
    }

    public Map<String, String> additionalDataMap() {
        return JsonMap.parse(additionalData);
    }

    public String genericId() {
        return GenericId.encode(id);
    }
}
