package io.tenantbackup.restore;

import io.tenantbackup.ServiceConfig;
import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.RestoredTenants;
import jakarta.inject.Inject;

import java.io.IOException;

/**
 * A node of "Restore backup_&lt;tenant&gt;". Whatever node fails or is cancelled, its clean-up leaves nothing: the
 * passwords are forgotten, the staging removed, and a tenant still RESTORING is stopped and removed with its home.
 */
abstract class RestoreStep implements Task {

    @Inject
    ServiceConfig config;
    @Inject
    RestoredTenants restored;
    @Inject
    RestorePasswords passwords;

    static String tenant(TaskContext context) {
        return context.requiredParam(RestoreDags.TENANT_NAME);
    }

    RestoreStaging staging(TaskContext context) {
        return RestoreStaging.of(config.dataDir(), tenant(context));
    }

    @Override
    public void cleanUp(TaskContext context) {
        String tenant = tenant(context);
        passwords.discard(tenant);
        try {
            staging(context).remove();
        } catch (IOException e) {
            context.log("Cannot remove the restore staging of tenant '" + tenant + "': " + e.getMessage());
        }
        restored.discard(tenant, context::log);
    }
}
