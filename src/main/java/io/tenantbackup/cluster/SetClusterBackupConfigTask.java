package io.tenantbackup.cluster;

import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** "Set backup config" of the cluster: stores every tenant's change as the tenant route does. */
@Unremovable
@ApplicationScoped
public class SetClusterBackupConfigTask implements Task {

    @Inject
    ClusterBackupConfigService clusterConfigs;

    @Inject
    BackupConfigService configs;

    @Inject
    ClusterTenants tenants;

    @Override
    public void execute(TaskContext context) {
        for (String name : ClusterTenants.names(context)) {
            TenantInstance tenant = tenants.current(name);
            configs.persist(tenant, clusterConfigs.change(context, name));
            context.log("Backup config of tenant " + name + "(" + tenant.id() + ") saved");
        }
        clusterConfigs.saved(context);
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
