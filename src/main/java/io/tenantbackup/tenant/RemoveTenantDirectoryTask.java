package io.tenantbackup.tenant;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Deletes the tenant's home directory: data, binlogs, socket, agent option file. */
@ApplicationScoped
public class RemoveTenantDirectoryTask extends DropTenantStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        Optional<TenantEntity> tenant = tenant(context);
        if (tenant.isPresent()) {
            teardown.removeHome(tenant.get(), context::log);
        }
    }
}
