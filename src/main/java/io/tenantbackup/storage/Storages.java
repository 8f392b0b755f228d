package io.tenantbackup.storage;

/** Opens the storage driver for a URI. */
public final class Storages {

    private Storages() {
    }

    public static BackupStorage open(StorageUri uri) {
        return StorageDrivers.open(uri);
    }

    public static BackupStorage open(String uri) {
        return open(StorageUri.parse(uri));
    }
}
