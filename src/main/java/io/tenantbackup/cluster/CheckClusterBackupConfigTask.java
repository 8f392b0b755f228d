package io.tenantbackup.cluster;

import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** "Check backup config" of the cluster: the tenant route's write check, for every tenant's destinations. */
@Unremovable
@ApplicationScoped
public class CheckClusterBackupConfigTask implements Task {

    @Inject
    ClusterBackupConfigService clusterConfigs;

    @Inject
    BackupConfigService configs;

    @Override
    public void execute(TaskContext context) throws Exception {
        for (String tenant : ClusterTenants.names(context)) {
            context.cancellation().throwIfCancelled();
            configs.checkDestinations(tenant, clusterConfigs.change(context, tenant), context::log);
        }
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
