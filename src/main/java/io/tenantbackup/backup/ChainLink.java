package io.tenantbackup.backup;

import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;

/** Where a new set stands in its chain: its parent (null for a full set) and the chain's root set. */
record ChainLink(BackupSetManifest.Parent parent, long chainRootBackupSetId) {

    /** A full set starts its own chain. */
    static ChainLink full(long backupSetId) {
        return new ChainLink(null, backupSetId);
    }

    /**
     * An incremental on the set in {@code parentDirectory}, read from its manifest at the destination, which is the
     * source of truth: a parent gone from there fails here.
     */
    static ChainLink onParent(TaskContext context, TenantInstance tenant, long backupSetId, BackupSets sets,
                              String parentDirectory) throws IOException {
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
