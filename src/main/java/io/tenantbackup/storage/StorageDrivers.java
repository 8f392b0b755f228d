package io.tenantbackup.storage;

import java.util.List;

/** The registry of storage drivers, one per obshell scheme (restic's location registry). */
public final class StorageDrivers {

    private static final List<StorageDriver> DRIVERS = List.of(
            new FileDriver(),
            ObjectStorageDriver.s3(),
            ObjectStorageDriver.oss(),
            ObjectStorageDriver.cos());

    private StorageDrivers() {
    }

    static StorageUri parse(String raw) {
        return driverOf(raw).parse(raw);
    }

    static BackupStorage open(StorageUri uri) {
        return driverOf(uri.withCredentials()).open(uri);
    }

    private static StorageDriver driverOf(String raw) {
        return DRIVERS.stream()
                .filter(driver -> raw != null && raw.startsWith(driver.scheme() + "://"))
                .findFirst()
                .orElseThrow(() -> StorageErrors.invalid("invalid uri protocol, it must start with oss://, cos://, "
                        + "s3:// or file://", raw));
    }
}
