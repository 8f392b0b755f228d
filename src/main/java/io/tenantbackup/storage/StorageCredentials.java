package io.tenantbackup.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys of destinations, in process memory only, so that everything persisted or shown (DAG parameters,
 * catalog rows, overview paths, logs) can hold the redacted URI and still be opened. Filled from the stored backup
 * configs at startup and when a config is saved, and from a restore request once its backups were read with those
 * keys; looked up by the redacted URI of the destination or of any file below it. One key pair per destination:
 * the latest remembered wins.
 */
public final class StorageCredentials {

    private static final Map<String, StorageUri> BY_REDACTED = new ConcurrentHashMap<>();

    private StorageCredentials() {
    }

    /** Keeps the keys of a URI that carries them; a URI without keys changes nothing. */
    public static void remember(StorageUri uri) {
        if (uri.carriesCredentials()) {
            BY_REDACTED.put(uri.redacted(), uri);
        }
    }

    /** The URI with its keys: as given if it carries them, else from what was remembered for it or a parent. */
    public static StorageUri complete(StorageUri uri) {
        if (uri.carriesCredentials() || !uri.usesCredentials()) {
            return uri;
        }
        StorageUri same = BY_REDACTED.get(uri.redacted());
        if (same != null) {
            return same;
        }
        return BY_REDACTED.values().stream()
                .flatMap(root -> uri.nameBelow(root).map(root::resolve).stream())
                .findFirst()
                .orElse(uri);
    }

    /** True when the URI can be opened: it needs no keys, carries them, or they were remembered. */
    public static boolean known(StorageUri uri) {
        return !uri.usesCredentials() || complete(uri).carriesCredentials();
    }
}
