package io.tenantbackup.tenant;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Marks the tenant NORMAL: from now on it is supervised and other domains may use it. */
@ApplicationScoped
public class RegisterTenantTask extends CreateTenantStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        TenantEntity tenant = store.setStatus(tenant(context).name, TenantStatus.NORMAL);
        context.log("Tenant '" + tenant.name + "' is NORMAL on port " + tenant.port + ", server id " + tenant.serverId);
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
