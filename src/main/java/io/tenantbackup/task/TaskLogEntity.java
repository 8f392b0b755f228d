package io.tenantbackup.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.List;

/** One line a sub-task logged during one of its executions. */
@Entity
@Table(name = "task_log")
public class TaskLogEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "sub_task_id")
    public long subTaskId;

    @Column(name = "execute_times")
    public int executeTimes;

    @Column(name = "log_content", columnDefinition = "TEXT")
    public String logContent;

    @Column(name = "is_sync")
    public boolean isSync;

    @Column(name = "create_time")
    public OffsetDateTime createTime;

    @Column(name = "update_time")
    public OffsetDateTime updateTime;

    static TaskLogEntity append(long subTaskId, int executeTimes, String line) {
        TaskLogEntity log = new TaskLogEntity();
        log.subTaskId = subTaskId;
        log.executeTimes = executeTimes;
        log.logContent = line;
        log.isSync = true;
        log.createTime = OffsetDateTime.now();
        log.updateTime = log.createTime;
        log.persist();
        return log;
    }

    public static List<TaskLogEntity> ofSubTask(long subTaskId) {
        return list("subTaskId = ?1 order by id", subTaskId);
    }
}
