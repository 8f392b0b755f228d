package io.tenantbackup.backup;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.repository.backupset.BackupSetManifest;

/**
 * Types Jackson reads and writes outside REST (DAG parameters, backup set manifests). Quarkus registers REST types for
 * reflection by itself; these it cannot see, so a native image needs them named here.
 */
@RegisterForReflection(targets = {
        BackupSetManifest.class, BackupSetManifest.ToolVersions.class, BackupSetManifest.Parent.class,
        BackupSetManifest.BinlogRange.class, BackupSetManifest.Encryption.class, PasswordKdf.class,
        BackupConfigRequest.class, BackupConfigRequest.DeletePolicy.class, StoredArtifact.StoredFile.class})
final class BackupJsonTypes {

    private BackupJsonTypes() {
    }
}
