package io.tenantbackup.restore;

import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * "Cancel restore" of obshell's cancel DAG, for a tenant left RESTORING without a restore DAG to roll back: forgets
 * the passwords held for it and removes its restore staging.
 */
@ApplicationScoped
public class CancelRestoreTask extends RestoreStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        String tenant = tenant(context);
        passwords.discard(tenant);
        staging(context).remove();
        context.log("Tenant '" + tenant + "' has no restore DAG to roll back; its restore staging "
                + staging(context).root() + " is removed");
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
