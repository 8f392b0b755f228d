package io.tenantbackup.backup;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.inject.Inject;

/**
 * A node of the start-backup DAG. A failure ends the catalog row at once (FAILED, or CANCELED after a cancel) with the
 * reason, so listings explain it and the tenant is free for the next backup.
 */
abstract class BackupSetTask implements Task {

    @Inject
    BackupCatalog catalog;

    @Inject
    BackupPasswords passwords;

    @Override
    public void execute(TaskContext context) throws Exception {
        TenantInstance tenant = TenantParams.from(context);
        long backupSetId = BackupService.backupSetId(context);
        try {
            run(context, tenant, backupSetId);
        } catch (Exception e) {
            BackupSet.Status status = context.cancellation().isCancelled()
                    ? BackupSet.Status.CANCELED : BackupSet.Status.FAILED;
            catalog.markEnded(backupSetId, status, e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
    }

    abstract void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception;

    /**
     * After a crash of the service no reason was recorded, and a cancel that lands after a node's work has ended
     * fails no task: end a still-running row here. A failed DAG never needs the set's password again.
     */
    @Override
    public void cleanUp(TaskContext context) {
        long backupSetId = BackupService.backupSetId(context);
        passwords.discard(backupSetId);
        if (catalog.require(backupSetId).status.running()) {
            boolean cancelled = context.cancellation().isCancelled();
            catalog.markEnded(backupSetId, cancelled ? BackupSet.Status.CANCELED : BackupSet.Status.FAILED,
                    "Backup set " + backupSetId + " was " + (cancelled ? "cancelled" : "interrupted") + " in DAG "
                            + context.dagId() + " (" + context.dagName() + ")");
        }
    }
}
