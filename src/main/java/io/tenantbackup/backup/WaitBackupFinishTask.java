package io.tenantbackup.backup;

import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.repository.backupset.BackupSetWriter;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.SetLayout;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * "Wait backup Finish": checks that every stored file is there with the size it was written with
 * ({@link BackupSetWriter#verify}), then writes manifest.json (last, atomically) and marks the set COMPLETED. Safe to
 * re-run: it only reads the set and replaces the manifest.
 */
@Unremovable
@ApplicationScoped
public class WaitBackupFinishTask extends BackupSetTask {

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        BackupSetWriter set = BackupSets.in(context.requiredParam(BackupService.DATA_DEST))
                .create(BackupService.setDirectoryName(context));
        StreamedBackup streamed = StreamedBackup.of(context, backupSetId);
        List<String> stored = new ArrayList<>();
        for (StoredArtifact.StoredFile file : streamed.files()) {
            set.verify(file);
            stored.add("Stored whole: " + file.name() + " of backup set " + backupSetId + ", " + file.size()
                    + " bytes, sha256 " + file.sha256() + " (of the bytes as written)");
        }
        try {
            set.commit(streamed.manifest(backupSetId, tenant, catalog.require(backupSetId)));
            catalog.markCompleted(backupSetId);
        } catch (Exception e) {
            context.log(stored); // the files found whole stay shown; the failure is the node's error line
            throw e;
        }
        stored.add("Backup set " + backupSetId + " of tenant " + tenant.name() + " is complete: "
                + set.uri().resolve(SetLayout.MANIFEST));
        context.log(stored); // one commit for every line of the node
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
