package io.tenantbackup.backup;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** "Check backup config": each destination given must accept a write (create dirs, write, fsync, delete). */
@Unremovable
@ApplicationScoped
public class CheckBackupConfigTask implements Task {

    @Inject
    BackupConfigService configs;

    @Override
    public void execute(TaskContext context) throws Exception {
        configs.checkDestinations(context.requiredParam(TenantParams.NAME), configs.change(context), context::log);
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
