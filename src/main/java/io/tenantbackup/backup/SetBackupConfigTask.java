package io.tenantbackup.backup;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** "Set backup config": stores the validated change. */
@Unremovable
@ApplicationScoped
public class SetBackupConfigTask implements Task {

    @Inject
    BackupConfigService configs;

    @Override
    public void execute(TaskContext context) {
        TenantInstance tenant = TenantParams.from(context);
        configs.persist(tenant, configs.change(context));
        context.log("Backup config of tenant " + tenant.name() + " saved");
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
