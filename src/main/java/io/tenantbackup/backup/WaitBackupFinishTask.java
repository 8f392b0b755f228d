package io.tenantbackup.backup;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * "Wait backup Finish": reads every stored file back and checks size and SHA-256, then writes manifest.json (last,
 * atomically) and marks the set COMPLETED. Safe to re-run: it only reads the set and replaces the manifest.
 */
@Unremovable
@ApplicationScoped
public class WaitBackupFinishTask extends BackupSetTask {

    private static final int BUFFER = 1 << 20;

    @Inject
    ObjectMapper json;

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        BackupStorage setDir = Storages.open(context.requiredParam(BackupService.SET_URI));
        List<StoredArtifact.StoredFile> files = json.readValue(context.requiredParam(StartBackupTask.STORED_FILES),
                new TypeReference<List<StoredArtifact.StoredFile>>() { });
        for (StoredArtifact.StoredFile file : files) {
            verify(setDir, file);
            context.log("Verified " + file.name() + " of backup set " + backupSetId + ": " + file.size()
                    + " bytes, sha256 " + file.sha256());
        }
        XtrabackupCheckpoints checkpoints;
        try (InputStream in = setDir.open(BackupSetFiles.CHECKPOINTS)) {
            checkpoints = XtrabackupCheckpoints.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    setDir.uri().resolve(BackupSetFiles.CHECKPOINTS).toString());
        }
        BackupSet set = catalog.require(backupSetId);
        BackupSetManifest manifest = new BackupSetManifest(BackupSetManifest.FORMAT_VERSION, backupSetId,
                tenant.id(), tenant.name(), set.backupType.name(),
                context.requiredParam(StartBackupTask.STARTED_AT), context.requiredParam(StartBackupTask.FINISHED_AT),
                checkpoints.fromLsn(), checkpoints.toLsn(), checkpoints.lastLsn(),
                set.binlogFile, set.binlogPosition, set.gtid,
                new BackupSetManifest.ToolVersions(context.requiredParam(StartBackupTask.MARIABACKUP_VERSION),
                        context.requiredParam(StartBackupTask.SERVER_VERSION)),
                "none", "none",
                files.stream().map(f -> new BackupSetManifest.FileEntry(f.name(), f.size(), f.sha256())).toList());
        try (StoredArtifact artifact = StoredArtifact.create(setDir, BackupSetFiles.MANIFEST)) {
            artifact.stream().write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            artifact.commit();
        }
        catalog.markCompleted(backupSetId);
        context.log("Backup set " + backupSetId + " of tenant " + tenant.name() + " is complete: "
                + setDir.uri().resolve(BackupSetFiles.MANIFEST));
    }

    private static void verify(BackupStorage setDir, StoredArtifact.StoredFile expected) throws IOException {
        String where = setDir.uri().resolve(expected.name()).toString();
        long size = setDir.size(expected.name()).orElseThrow(() -> new IOException(where + " is missing"));
        if (size != expected.size()) {
            throw new IOException(where + " is " + size + " bytes, expected " + expected.size());
        }
        MessageDigest digest = StoredArtifact.sha256();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = setDir.open(expected.name())) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected.sha256())) {
            throw new IOException(where + " has sha256 " + actual + ", expected " + expected.sha256());
        }
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
