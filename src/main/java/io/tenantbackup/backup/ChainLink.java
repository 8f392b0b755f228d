package io.tenantbackup.backup;

import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;

/** Where a new set stands in its chain: its parent (null for a full set) and the chain's root set. */
record ChainLink(BackupSetManifest.Parent parent, long chainRootBackupSetId) {

    /**
     * The parent named by the DAG, read from its manifest at the destination, which is the source of truth: a parent
     * gone from there fails here.
     */
    static ChainLink of(TaskContext context, TenantInstance tenant, long backupSetId) throws IOException {
        String parentDirectory = context.param(BackupService.PARENT_DIRECTORY).orElse(null);
        if (parentDirectory == null) {
            return new ChainLink(null, backupSetId);
        }
        BackupSets sets = BackupSets.in(context.requiredParam(BackupService.DATA_DEST));
        BackupSetManifest parent = sets.read(parentDirectory).manifest();
        if (parent.tenantId() != tenant.id()) {
            throw new IOException(sets.uri(parentDirectory) + " belongs to tenant " + parent.tenantName()
                    + ", not to " + tenant.name());
        }
        context.log("Incremental backup set " + backupSetId + " of tenant " + tenant.name() + " builds on backup set "
                + parent.backupSetId() + " (to_lsn " + parent.toLsn() + ", chain root " + parent.chainRootBackupSetId()
                + ")");
        return new ChainLink(new BackupSetManifest.Parent(parent.backupSetId(), parentDirectory, parent.toLsn()),
                parent.chainRootBackupSetId());
    }

    /** mariabackup's {@code --incremental-lsn}: the parent's to_lsn; null for a full set. */
    Long incrementalLsn() {
        return parent == null ? null : parent.toLsn();
    }
}
