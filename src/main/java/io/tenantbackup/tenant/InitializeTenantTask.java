package io.tenantbackup.tenant;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;

/**
 * Gives root its password (from the request, or the one generated for it) and sets the requested global variables.
 * Not safe to rerun: the root password was in memory only and has been taken.
 */
@ApplicationScoped
public class InitializeTenantTask extends CreateTenantStep {

    @Inject
    PendingSecrets secrets;
    @Inject
    TenantProcesses processes;

    @Override
    public void execute(TaskContext context) throws Exception {
        TenantEntity tenant = tenant(context);
        String password = secrets.take(tenant.name).orElseThrow(() -> new IllegalStateException("Tenant '"
                + tenant.name + "': the root password was held in memory only and is gone (the service"
                + " restarted or it expired); drop the tenant and create it again"));
        try (Connection agent = tenant.instance().agent().connect()) {
            TenantRootAccount.setPassword(tenant.name, agent, password);
        }
        context.log("Tenant '" + tenant.name + "': set the root password for root@localhost and root@127.0.0.1");
        processes.applyVariables(tenant, tenant.variables(), context::log);
    }
}
