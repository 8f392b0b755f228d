package io.tenantbackup.ops.metrics;

import io.quarkus.hibernate.orm.panache.Panache;
import io.tenantbackup.backup.BackupSet;
import io.tenantbackup.task.TaskState;
import io.tenantbackup.tenant.Tenant;
import io.tenantbackup.tenant.TenantOwnership;
import io.tenantbackup.tenant.TenantService;
import io.tenantbackup.tenant.TenantStatus;
import io.tenantbackup.tenant.TenantSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the catalog, the DAGs and the supervisor into one {@link TenantBackupState} per NORMAL tenant. */
@ApplicationScoped
public class TenantBackupStates {

    /** DAG states that count as running (not finished). */
    static final List<TaskState> UNFINISHED = List.of(TaskState.PENDING, TaskState.READY, TaskState.RUNNING);

    @Inject
    TenantService tenants;
    @Inject
    TenantSupervisor supervisor;
    @Inject
    ArchiveStatusSource archives;
    @Inject
    TenantOwnership ownership;

    /** A handful of grouped queries, whatever the number of tenants. */
    @Transactional
    public List<TenantBackupState> read() {
        Map<Long, TenantBackupState.LastBackup> lastCompleted = lastCompletedByTenantId();
        Map<String, Map<TaskState, Long>> dags = dagCountsByTenant();
        Set<String> hostedHere = ownership.ownedHere(); // another agent exports its own tenants
        return tenants.list().stream()
                .filter(tenant -> tenant.status() == TenantStatus.NORMAL && hostedHere.contains(tenant.name()))
                .map(tenant -> state(tenant, lastCompleted, dags.getOrDefault(tenant.name(), Map.of())))
                .toList();
    }

    private TenantBackupState state(Tenant tenant, Map<Long, TenantBackupState.LastBackup> lastCompleted,
                                    Map<TaskState, Long> dagCounts) {
        Map<TaskState, Long> unfinished = new EnumMap<>(TaskState.class);
        UNFINISHED.forEach(state -> unfinished.put(state, dagCounts.getOrDefault(state, 0L)));
        return new TenantBackupState(tenant.name(), supervisor.isUp(tenant.name()),
                Optional.ofNullable(lastCompleted.get(tenant.id())), unfinished,
                dagCounts.getOrDefault(TaskState.FAILED, 0L), archives.archiveOf(tenant.id(), tenant.name()));
    }

    private static Map<Long, TenantBackupState.LastBackup> lastCompletedByTenantId() {
        List<BackupSet> sets = BackupSet.list("from BackupSet s where s.status = ?1 and s.endTime = "
                + "(select max(b.endTime) from BackupSet b where b.tenantId = s.tenantId and b.status = ?1)",
                BackupSet.Status.COMPLETED);
        Map<Long, TenantBackupState.LastBackup> last = new HashMap<>();
        for (BackupSet set : sets) {
            last.put(set.tenantId, new TenantBackupState.LastBackup(set.startTime, set.endTime, set.outputBytes));
        }
        return last;
    }

    /** DAG counts by tenant (the DAG's maintenance key) and state, SUCCEED left out. */
    private static Map<String, Map<TaskState, Long>> dagCountsByTenant() {
        List<Object[]> rows = Panache.getEntityManager().createQuery(
                        "select d.maintenanceKey, d.state, count(d) from DagEntity d where d.state <> :succeed "
                                + "group by d.maintenanceKey, d.state", Object[].class)
                .setParameter("succeed", TaskState.SUCCEED)
                .getResultList();
        Map<String, Map<TaskState, Long>> counts = new HashMap<>();
        for (Object[] row : rows) {
            counts.computeIfAbsent((String) row[0], key -> new EnumMap<>(TaskState.class))
                    .put((TaskState) row[1], (Long) row[2]);
        }
        return counts;
    }
}
