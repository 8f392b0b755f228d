package io.tenantbackup.storage;

import java.io.IOException;

/**
 * A storage operation that failed, classified: transient failures (connection lost, 5xx, throttling) may succeed when
 * tried again, permanent ones (permission, missing bucket, wrong credentials, a missing file) will not.
 */
public class StorageException extends IOException {

    private final boolean transientFailure;

    public StorageException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    /** True when {@code failure} is a storage failure worth trying again. */
    public static boolean isTransient(Throwable failure) {
        return failure instanceof StorageException storage && storage.isTransient();
    }
}
