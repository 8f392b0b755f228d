package io.tenantbackup.tenant;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.Optional;

/** Stops the tenant's mariadbd with a clean shutdown (killed if it does not end in time). */
@ApplicationScoped
public class StopTenantInstanceTask extends DropTenantStep {

    @Inject
    Event<TenantDropping> dropping;

    @Override
    public void execute(TaskContext context) throws Exception {
        Optional<TenantEntity> tenant = tenant(context);
        if (tenant.isPresent()) {
            dropping.fire(new TenantDropping(tenant.get().id, tenant.get().name));
            teardown.stopInstance(tenant.get(), context::log);
        }
    }
}
