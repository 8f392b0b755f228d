package io.tenantbackup.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code file:///abs/path}: a local (or mounted) directory. obshell requires the path to start with '/' and to have
 * no '?'; this service also refuses control characters, '..' and paths that are not normalized, so that a URI names
 * exactly one directory, and {@link DestinationConfinement} decides where that directory may lie.
 */
final class FileDriver implements StorageDriver {

    static final String SCHEME = "file";
    private static final String PREFIX = SCHEME + "://";

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public StorageUri parse(String raw) {
        requireCleanFilePath(raw, raw.substring(PREFIX.length()));
        StorageUri uri = new StorageUri(SCHEME, raw, raw, false);
        DestinationConfinement.installed().check(uri);
        return uri;
    }

    @Override
    public BackupStorage open(StorageUri uri) {
        return new FileStorage(uri, localPath(uri));
    }

    /** The local directory of a {@code file://} URI. */
    static Path localPath(StorageUri uri) {
        return Path.of(uri.withCredentials().substring(PREFIX.length()));
    }

    private static void requireCleanFilePath(String raw, String path) {
        String problem = null;
        if (path.contains("?")) {
            problem = "invalid file path, contains invalid character '?'";
        } else if (!path.startsWith("/")) {
            problem = "invalid file path, must start with '/'";
        } else if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problem = "invalid file path, it contains control characters";
        } else if (List.of(path.split("/")).contains("..")) {
            problem = "invalid file path, it must not contain '..'";
        } else if (!Path.of(path).normalize().toString().equals(stripTrailingSlash(path))) {
            problem = "invalid file path, it is not normalized (no '.', no '//')";
        }
        if (problem != null) {
            throw StorageErrors.invalid(problem, raw);
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
