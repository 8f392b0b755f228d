package io.tenantbackup.storage;

/** Opens the storage driver for a URI; a redacted URI gets the keys remembered for it ({@link StorageCredentials}). */
public final class Storages {

    private Storages() {
    }

    public static BackupStorage open(StorageUri uri) {
        return StorageDrivers.open(StorageCredentials.complete(uri));
    }

    public static BackupStorage open(String uri) {
        return open(StorageUri.parse(uri));
    }
}
