package io.tenantbackup.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * A validated backup destination, parsed by the driver of its scheme ({@link StorageDrivers}). It keeps two texts:
 * the URI as given, with credentials ({@code access_id}, {@code access_key}), which only the metadata DB and the
 * driver opening it ever see, and its redacted form, which is what {@link #toString()} returns and therefore what
 * every response, log line, task log, manifest, catalog row and DAG parameter shows.
 */
public final class StorageUri {

    private final String scheme;
    private final String uri;
    private final String redacted;
    private final boolean usesCredentials;

    StorageUri(String scheme, String uri, String redacted, boolean usesCredentials) {
        this.scheme = scheme;
        this.uri = uri;
        this.redacted = redacted;
        this.usesCredentials = usesCredentials;
    }

    /** obshell's grammar: {@code file:///abs/path}, {@code s3|oss|cos://bucket/key?host=…&access_id=…&access_key=…}. */
    public static StorageUri parse(String raw) {
        return StorageDrivers.parse(raw);
    }

    /** What any text may show of a URI given by a user: its redacted form, or without its query if it is invalid. */
    public static String shown(String raw) {
        try {
            return raw == null || raw.isEmpty() ? raw : parse(raw).redacted();
        } catch (RuntimeException invalid) {
            return StorageErrors.printable(raw);
        }
    }

    public String scheme() {
        return scheme;
    }

    /** The URI with its credentials: to be stored in the metadata DB or opened, never shown. */
    public String withCredentials() {
        return uri;
    }

    /** The URI without credentials, as obshell's {@code GenerateURIWithoutSecret}. */
    public String redacted() {
        return redacted;
    }

    /** True when its scheme authenticates with keys given in the URI ({@code access_id}, {@code access_key}). */
    public boolean usesCredentials() {
        return usesCredentials;
    }

    /** True when the URI as given carries a secret that its redacted form leaves out. */
    public boolean carriesCredentials() {
        return !uri.equals(redacted);
    }

    /** The URI of a child name ({@code a/b}) below this one; the query (host, keys) stays as it is. */
    public StorageUri resolve(String name) {
        return new StorageUri(scheme, child(uri, name), child(redacted, name), usesCredentials);
    }

    /** The name of this URI below {@code root} when both address the same place with the same parameters. */
    Optional<String> nameBelow(StorageUri root) {
        String path = pathOf(redacted);
        String rootPath = pathOf(root.redacted);
        String prefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        if (!scheme.equals(root.scheme) || !queryOf(redacted).equals(queryOf(root.redacted)) || !path.startsWith(prefix)
                || path.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(path.substring(prefix.length()));
    }

    @Override
    public String toString() {
        return redacted;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StorageUri that && uri.equals(that.uri);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri);
    }

    private static String child(String text, String name) {
        String path = pathOf(text);
        return (path.endsWith("/") ? path + name : path + "/" + name) + queryOf(text);
    }

    private static String pathOf(String text) {
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    private static String queryOf(String text) {
        int query = text.indexOf('?');
        return query < 0 ? "" : text.substring(query);
    }
}
