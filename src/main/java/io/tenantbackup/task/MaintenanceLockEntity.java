package io.tenantbackup.task;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A maintenance key (tenant name) held by an unfinished DAG; the primary key makes two holders impossible. */
@Entity
@Table(name = "maintenance_lock")
public class MaintenanceLockEntity extends PanacheEntityBase {

    @Id
    @Column(name = "lock_key")
    public String lockKey;

    @Column(name = "dag_id")
    public long dagId;
}
