package io.tenantbackup.restore;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * "Drop resource pool" of obshell's cancel DAG: what a MariaDB tenant holds in place of OceanBase's resource pool
 * (its process, home directory, port and RESTORING row) is released, so that the name can be used again.
 */
@ApplicationScoped
public class DropRestoredTenantTask extends RestoreStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        String tenant = tenant(context);
        restored.discard(tenant, context::log);
        if (restored.isRestoring(tenant)) {
            throw new IllegalStateException("Tenant '" + tenant + "' could not be removed; see the lines above");
        }
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
