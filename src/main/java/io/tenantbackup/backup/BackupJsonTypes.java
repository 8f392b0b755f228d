package io.tenantbackup.backup;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads and writes outside REST (DAG parameters, manifest.json). Quarkus registers REST types for
 * reflection by itself; these it cannot see, so a native image needs them named here.
 */
@RegisterForReflection(targets = {
        BackupSetManifest.class, BackupSetManifest.ToolVersions.class, BackupSetManifest.FileEntry.class,
        BackupConfigRequest.class, BackupConfigRequest.DeletePolicy.class, StoredArtifact.StoredFile.class})
final class BackupJsonTypes {

    private BackupJsonTypes() {
    }
}
