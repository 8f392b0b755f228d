package io.tenantbackup.tenant;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Stops the tenant's mariadbd with a clean shutdown (killed if it does not end in time). */
@ApplicationScoped
public class StopTenantInstanceTask extends DropTenantStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        Optional<TenantEntity> tenant = tenant(context);
        if (tenant.isPresent()) {
            teardown.stopInstance(tenant.get(), context::log);
        }
    }
}
