package io.tenantbackup.backup;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.codec.VerifyingInputStream;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSetWriter;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.SetLayout;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.List;

/**
 * "Wait backup Finish": checks that every stored file is there with the size it was written with
 * ({@link BackupSetWriter#verify}), then writes manifest.json (last, atomically) and marks the set COMPLETED. Safe to
 * re-run: it only reads the set and replaces the manifest.
 */
@Unremovable
@ApplicationScoped
public class WaitBackupFinishTask extends BackupSetTask {

    @Inject
    ObjectMapper json;

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        BackupSetWriter set = BackupSets.in(context.requiredParam(BackupService.DATA_DEST))
                .create(BackupService.setDirectoryName(context));
        List<StoredArtifact.StoredFile> files = json.readValue(context.requiredParam(StartBackupTask.STORED_FILES),
                new TypeReference<List<StoredArtifact.StoredFile>>() { });
        for (StoredArtifact.StoredFile file : files) {
            set.verify(file);
            context.log("Stored whole: " + file.name() + " of backup set " + backupSetId + ", " + file.size()
                    + " bytes, sha256 " + file.sha256() + " (of the bytes as written)");
        }
        XtrabackupCheckpoints checkpoints = read(context, StartBackupTask.CHECKPOINTS, XtrabackupCheckpoints.class);
        BackupSet row = catalog.require(backupSetId);
        BackupSetManifest.BinlogRange binlog = context.param(StartBackupTask.BINLOG_RANGE).isPresent()
                ? read(context, StartBackupTask.BINLOG_RANGE, BackupSetManifest.BinlogRange.class) : null;
        BackupSetManifest manifest = new BackupSetManifest(BackupSetManifest.FORMAT_VERSION, backupSetId,
                tenant.id(), tenant.name(), row.backupType.name(),
                context.requiredParam(StartBackupTask.STARTED_AT), context.requiredParam(StartBackupTask.FINISHED_AT),
                checkpoints.fromLsn(), checkpoints.toLsn(), checkpoints.lastLsn(),
                row.binlogFile, row.binlogPosition, row.gtid,
                context.param(StartBackupTask.PARENT).isPresent()
                        ? read(context, StartBackupTask.PARENT, BackupSetManifest.Parent.class) : null,
                Long.parseLong(context.requiredParam(StartBackupTask.CHAIN_ROOT)),
                binlog != null, binlog,
                new BackupSetManifest.ToolVersions(context.requiredParam(StartBackupTask.MARIABACKUP_VERSION),
                        context.requiredParam(StartBackupTask.SERVER_VERSION)),
                context.requiredParam(StartBackupTask.COMPRESSION),
                read(context, StartBackupTask.ENCRYPTION, BackupSetManifest.Encryption.class),
                files);
        set.commit(manifest);
        catalog.markCompleted(backupSetId);
        context.log("Backup set " + backupSetId + " of tenant " + tenant.name() + " is complete: "
                + set.uri().resolve(SetLayout.MANIFEST));
    }

    private <T> T read(TaskContext context, String key, Class<T> type) throws IOException {
        return json.readValue(context.requiredParam(key), type);
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
