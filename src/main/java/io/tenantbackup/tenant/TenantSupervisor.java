package io.tenantbackup.tenant;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps every NORMAL tenant's instance that this agent owns running (another agent's tenants live on its host). At
 * startup an instance whose pid file names a live mariadbd is adopted as it is (it was started detached and outlives
 * the service); others are started again on their recorded port with their recorded options. A periodic check
 * restarts instances that died. A tenant that an unfinished DAG works on (a restore, say) is left to that DAG, which
 * may stop its instance on purpose.
 */
@ApplicationScoped
public class TenantSupervisor {

    private static final Logger LOG = Logger.getLogger(TenantSupervisor.class);

    @Inject
    TenantStore store;
    @Inject
    TenantProcesses processes;
    @Inject
    TaskQueries tasks;
    @Inject
    LocalAgent local;

    void onStart(@Observes StartupEvent event) {
        adoptAll();
    }

    /** Adopts or starts every NORMAL tenant's instance; one tenant's failure does not stop the others. */
    public void adoptAll() {
        for (TenantEntity tenant : store.ownedWithStatus(local.identity(), TenantStatus.NORMAL)) {
            Optional<Long> pid = processes.runningPid(tenant);
            if (pid.isPresent()) {
                LOG.infof("Tenant '%s': adopted running mariadbd (pid %d) on port %d", tenant.name, pid.get(),
                        tenant.port);
            } else {
                LOG.infof("Tenant '%s': instance is not running at startup", tenant.name);
                ensureRunning(tenant.name);
            }
        }
    }

    /** Restarts NORMAL tenants whose instance has died. */
    @Scheduled(every = "${tenant-backup.supervise-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void check() {
        for (TenantEntity tenant : store.ownedWithStatus(local.identity(), TenantStatus.NORMAL)) {
            if (processes.runningPid(tenant).isEmpty()) {
                LOG.warnf("Tenant '%s': mariadbd on port %d is not running", tenant.name, tenant.port);
                ensureRunning(tenant.name);
            }
        }
    }

    public boolean isUp(String name) {
        return store.find(name).map(this::isUp).orElse(false);
    }

    /** Whether the live mariadbd its pid file names runs, for a row the caller has already read. */
    boolean isUp(TenantEntity tenant) {
        return processes.runningPid(tenant).isPresent();
    }

    /** Under the tenant's lock, re-reads the row and the DAGs, so a tenant a DAG has just taken over is left alone. */
    private void ensureRunning(String name) {
        ReentrantLock lock = processes.lockOf(name);
        lock.lock();
        try {
            TenantEntity tenant = store.find(name)
                    .filter(row -> row.status == TenantStatus.NORMAL && local.is(row.ownerAgent)).orElse(null);
            if (tenant == null) {
                return;
            }
            Optional<DagEntity> busy = tasks.latestDag(name).filter(dag -> !dag.isFinished());
            if (busy.isPresent()) {
                LOG.infof("Tenant '%s': instance is down while DAG %s (%s) works on it; leaving it to that DAG",
                        name, busy.get().genericId(), busy.get().name);
                return;
            }
            LOG.infof("Tenant '%s': starting its instance on port %d with its recorded options", name, tenant.port);
            processes.start(tenant, line -> LOG.infof("Tenant '%s': %s", name, line));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.errorf("Tenant '%s': interrupted while starting its instance", name);
        } catch (Exception e) {
            LOG.errorf(e, "Tenant '%s': cannot start its instance: %s", name, e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
