package io.tenantbackup.backup;

import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;

/** "Check destination": the data destination must accept a write before mariabackup starts. */
@Unremovable
@ApplicationScoped
public class CheckDestinationTask extends BackupSetTask {

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        BackupStorage storage = Storages.open(context.requiredParam(BackupService.DATA_DEST));
        storage.probe();
        context.log("Data destination " + storage.uri() + " of tenant " + tenant.name() + " is writable");
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
