package io.tenantbackup.storage;

/**
 * What a URI scheme brings: its grammar (parse, which also decides the redacted form) and how its destinations are
 * opened. Registered in {@link StorageDrivers}; no caller branches on a scheme.
 */
public interface StorageDriver {

    /** The scheme this driver serves, without {@code ://}. */
    String scheme();

    /** Validates a URI of this scheme; malformed → 400 OB.Storage.URI.Invalid with obshell's reason. */
    StorageUri parse(String raw);

    /** Opens a destination this driver parsed; cheap, does no I/O. */
    BackupStorage open(StorageUri uri);
}
