package io.tenantbackup.tenant;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Removes the tenant's row, which frees its name. */
@ApplicationScoped
public class UnregisterTenantTask extends DropTenantStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        String name = context.requiredParam(TenantDags.TENANT_NAME);
        if (store.deleteIf(name, TenantStatus.DROPPING)) {
            context.log("Tenant '" + name + "' removed");
        }
    }
}
