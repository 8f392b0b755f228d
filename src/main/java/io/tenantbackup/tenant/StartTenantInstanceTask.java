package io.tenantbackup.tenant;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Starts the new instance on a free port (recorded on the row) with its own socket, binlog and server id. The first
 * start creates the service's agent account and locks root until "Initialize tenant" gives it its password.
 */
@ApplicationScoped
public class StartTenantInstanceTask extends CreateTenantStep {

    @Inject
    TenantProcesses processes;

    @Override
    public void execute(TaskContext context) throws Exception {
        TenantEntity tenant = tenant(context);
        if (tenant.port == null) {
            tenant = store.recordPort(tenant.name, FreePorts.pick(tenant.name, store.recordedPorts()));
        }
        context.put(TenantDags.PORT, String.valueOf(tenant.port));
        context.log("Tenant '" + tenant.name + "': charset " + tenant.charset + ", collation " + tenant.collation);
        processes.startWithNewAgent(tenant, TenantRootAccount.LOCKED_UNTIL_INITIALIZED, context::log);
    }

    /** A rerun finds the port recorded and adopts an instance that is already up. */
    @Override
    public boolean safeToRerun() {
        return true;
    }
}
