package io.tenantbackup.backup;

import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;

/** "Check backup config": each destination given must accept a write (create dirs, write, fsync, delete). */
@Unremovable
@ApplicationScoped
public class CheckBackupConfigTask implements Task {

    @Inject
    BackupConfigService configs;

    @Override
    public void execute(TaskContext context) throws Exception {
        BackupConfigRequest change = configs.change(context);
        Map<String, String> destinations = new LinkedHashMap<>();
        destinations.put("archive", change.archiveBaseUri());
        destinations.put("data", change.dataBaseUri());
        for (Map.Entry<String, String> destination : destinations.entrySet()) {
            if (BackupConfigValidator.isEmpty(destination.getValue())) {
                continue;
            }
            BackupStorage storage = Storages.open(destination.getValue());
            storage.probe();
            context.log("The " + destination.getKey() + " destination " + storage.uri() + " of tenant "
                    + context.requiredParam(TenantParams.NAME) + " is writable");
        }
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
