package io.tenantbackup.tenant;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import jakarta.inject.Inject;

/** A node of "Create tenant": whichever node fails, its cleanup removes the whole half-created tenant. */
abstract class CreateTenantStep implements Task {

    @Inject
    TenantStore store;
    @Inject
    TenantTeardown teardown;

    TenantEntity tenant(TaskContext context) {
        return store.require(context.requiredParam(TenantDags.TENANT_NAME));
    }

    @Override
    public void cleanUp(TaskContext context) {
        context.param(TenantDags.TENANT_NAME).ifPresent(name -> teardown.discardCreation(name, context::log));
    }
}
