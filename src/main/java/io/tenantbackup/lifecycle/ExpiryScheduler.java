package io.tenantbackup.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tenantbackup.backup.BackupConfig;
import io.tenantbackup.error.ServiceException;
import io.tenantbackup.tenant.TenantOwnership;
import io.tenantbackup.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Submits the expiry DAG of every tenant with a delete policy that this agent owns, every
 * {@code tenant-backup.lifecycle.expire-interval} (1h, as OceanBase cleans). A tenant under maintenance (a config
 * change, a drop, an expiry still running) is skipped until the next round.
 */
@ApplicationScoped
public class ExpiryScheduler {

    private static final Logger LOG = Logger.getLogger(ExpiryScheduler.class);

    @Inject
    ExpiryService expiry;

    @Inject
    TenantService tenants;

    @Inject
    TenantOwnership ownership;

    @Inject
    LifecycleConfig config;

    @Scheduled(every = "${tenant-backup.lifecycle.expire-interval:1h}",
            delayed = "${tenant-backup.lifecycle.expire-delay:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireAll() {
        List<BackupConfig> withPolicy = QuarkusTransaction.requiringNew().call(() ->
                BackupConfig.<BackupConfig>list("deletePolicy is not null"));
        for (BackupConfig tenant : withPolicy) {
            if (!ownership.ownsHere(tenant.tenantName)) {
                continue;
            }
            try {
                var dag = expiry.submit(tenants.requireNormal(tenant.tenantName));
                LOG.infof("Tenant '%s': scheduled expiry DAG %d (every %s)", tenant.tenantName, dag.id,
                        config.expireInterval());
            } catch (ServiceException e) {
                LOG.infof("Tenant '%s': scheduled expiry skipped: %s", tenant.tenantName, e.getMessage());
            }
        }
    }
}
