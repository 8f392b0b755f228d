package io.tenantbackup.storage;

/** The file asked for does not exist (as opposed to a storage that failed to answer). */
public final class StorageNotFoundException extends StorageException {

    public StorageNotFoundException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
