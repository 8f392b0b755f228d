package io.tenantbackup.tenant;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import jakarta.inject.Inject;

import java.util.Optional;

/** A node of "Drop tenant". Every step is idempotent, so a failed drop is finished by running it again. */
abstract class DropTenantStep implements Task {

    @Inject
    TenantStore store;
    @Inject
    TenantTeardown teardown;

    /** The row being dropped; empty once "Unregister tenant" has removed it. */
    Optional<TenantEntity> tenant(TaskContext context) {
        return store.find(context.requiredParam(TenantDags.TENANT_NAME));
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
