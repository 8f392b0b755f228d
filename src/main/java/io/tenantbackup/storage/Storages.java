package io.tenantbackup.storage;

/** Opens the storage driver for a validated URI. */
public final class Storages {

    private Storages() {
    }

    public static BackupStorage open(StorageUri uri) {
        if (!StorageUri.FILE.equals(uri.scheme())) {
            throw StorageErrors.URI_NOT_SUPPORTED.exception("Storage " + uri.scheme() + " is not supported yet; use file://");
        }
        return new FileStorage(uri);
    }

    public static BackupStorage open(String uri) {
        return open(StorageUri.parse(uri));
    }
}
