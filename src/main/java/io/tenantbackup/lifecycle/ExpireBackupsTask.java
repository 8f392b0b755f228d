package io.tenantbackup.lifecycle;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** "Expire backups": plans and deletes; safe to re-run after a crash since it plans again from what is left. */
@ApplicationScoped
public class ExpireBackupsTask implements Task {

    @Inject
    ExpiryService expiry;

    @Override
    public void execute(TaskContext context) throws Exception {
        expiry.expire(Long.parseLong(context.requiredParam(ExpiryService.TENANT_ID)),
                context.requiredParam(ExpiryService.TENANT_NAME), context::log, context.cancellation());
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
