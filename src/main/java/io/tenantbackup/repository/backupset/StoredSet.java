package io.tenantbackup.repository.backupset;

/** A backup set found in a data destination: its directory there and its manifest. */
public record StoredSet(String directory, BackupSetManifest manifest) {

    public long id() {
        return manifest.backupSetId();
    }
}
