package io.tenantbackup.task;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.util.Map;
import java.util.Optional;

/** A persisted run of a {@link DagTemplate}. {@code stage} is the 1-based index of the current node. */
@Entity
@Table(name = "dag")
public class DagEntity extends TaskRecordEntity {

    public static final int MAINTENANCE_NONE = 1;
    public static final int MAINTENANCE_TENANT = 3;

    public int stage;

    @Column(name = "max_stage")
    public int maxStage;

    @Column(name = "maintenance_type")
    public int maintenanceType;

    /** The tenant name for maintenance type 3, else empty (obshell's DTO shows "" too). */
    @Column(name = "maintenance_key")
    public String maintenanceKey;

    /** How many times the DAG has ended; see {@link DagRecords#finish}. */
    @Column(name = "finish_count")
    public int finishCount;

    /** The {@code ip:port} of the agent that runs the DAG: the owner of its tenant, else the agent that created it. */
    @Column(name = "execute_agent")
    public String executeAgent;

    /** The current node's clean-up is owed: the DAG was failed by another agent while its own was gone. */
    @Column(name = "cleanup_owed")
    public boolean cleanupOwed;

    /** JSON object of strings: the creation parameters plus every value put by a task. */
    @Column(columnDefinition = "TEXT")
    public String params;

    /** JSON object of the typed results nodes handed on ({@link NodeOutput}); null until one was published. */
    @Column(columnDefinition = "TEXT")
    public String outputs;

    /**
     * Row-locks and loads a DAG so that operators and the runner change it one at a time. Must be the first read of
     * its transaction: InnoDB's snapshot would otherwise hide changes committed in between. A plain
     * {@code FOR UPDATE} because Hibernate's MySQL 8 lock syntax ({@code FOR UPDATE OF}) fails on MariaDB.
     */
    static Optional<DagEntity> lockForUpdate(long dagId) {
        boolean exists = !Panache.getEntityManager()
                .createNativeQuery("SELECT id FROM dag WHERE id = ?1 FOR UPDATE")
                .setParameter(1, dagId)
                .getResultList()
                .isEmpty();
        return exists ? findByIdOptional(dagId) : Optional.empty();
    }

    public Map<String, String> paramMap() {
        return JsonMap.parse(params);
    }
}
