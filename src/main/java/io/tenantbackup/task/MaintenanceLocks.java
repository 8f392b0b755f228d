package io.tenantbackup.task;

import io.quarkus.hibernate.orm.panache.Panache;
import io.tenantbackup.error.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** The maintenance lock table: at most one unfinished DAG per maintenance key (tenant name). Needs a transaction. */
@ApplicationScoped
class MaintenanceLocks {

    /** Takes {@code key} for {@code dagId}; a concurrent taker waits on the row and then finds it held. */
    void acquire(String key, long dagId) {
        int inserted = Panache.getEntityManager()
                .createNativeQuery("INSERT IGNORE INTO maintenance_lock (lock_key, dag_id) VALUES (?1, ?2)")
                .setParameter(1, key)
                .setParameter(2, dagId)
                .executeUpdate();
        if (inserted == 1) {
            return;
        }
        Optional<Long> held = holder(key);
        if (held.isPresent() && held.get() == dagId) {
            return;
        }
        String holder = held.map(id -> "DAG " + GenericId.encode(id)).orElse("another DAG");
        throw new ServiceException(TaskErrors.TENANT_UNDER_MAINTENANCE,
                "Tenant '" + key + "' is under maintenance (" + holder + "), please try again later.");
    }

    void release(long dagId) {
        MaintenanceLockEntity.delete("dagId", dagId);
    }

    /** A locking read, so it sees the latest holder whatever the transaction read before. */
    Optional<Long> holder(String key) {
        List<?> rows = Panache.getEntityManager()
                .createNativeQuery("SELECT dag_id FROM maintenance_lock WHERE lock_key = ?1 FOR UPDATE")
                .setParameter(1, key)
                .getResultList();
        return rows.stream().map(row -> ((Number) row).longValue()).findFirst();
    }
}
