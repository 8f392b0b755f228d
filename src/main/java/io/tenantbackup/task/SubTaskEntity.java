package io.tenantbackup.task;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.util.Map;

/** The single execution unit of a node; its name is the node's name. */
@Entity
@Table(name = "sub_task")
public class SubTaskEntity extends TaskRecordEntity {

    @Column(name = "node_id")
    public long nodeId;

    @Column(name = "dag_id")
    public long dagId;

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
}
