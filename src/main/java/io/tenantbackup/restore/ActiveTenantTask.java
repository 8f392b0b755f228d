package io.tenantbackup.restore;

import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;

/** Registers the restored tenant NORMAL: supervised from now on, and it may be backed up and archived itself. */
@ApplicationScoped
public class ActiveTenantTask extends RestoreStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        String tenant = tenant(context);
        passwords.discard(tenant);
        TenantInstance instance = restored.activate(tenant);
        context.log("Tenant '" + tenant + "' is NORMAL on port " + instance.port() + "; its root password and"
                + " accounts are those of tenant '" + context.requiredParam(RestoreDags.SOURCE_TENANT)
                + "' in the backup");
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
