package io.tenantbackup.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A validated backup destination. obshell accepts {@code oss:// cos:// s3:// file://}; only {@code file://} can be
 * written today. A file URI must name an absolute, already normalized path: {@code file:///backup/t1}.
 */
public record StorageUri(String scheme, String uri) {

    public static final String FILE = "file";
    private static final List<String> OBSHELL_SCHEMES = List.of("oss", "cos", "s3", FILE);

    /**
     * Checks prefix (400 OB.Storage.URI.Invalid), support (400 OB.Storage.URI.NotSupported), the path, then where it
     * lies ({@link DestinationConfinement}).
     */
    public static StorageUri parse(String raw) {
        String scheme = OBSHELL_SCHEMES.stream()
                .filter(candidate -> raw != null && raw.startsWith(candidate + "://"))
                .findFirst()
                .orElseThrow(() -> StorageErrors.URI_INVALID.exception("Invalid storage URI '" + printable(raw)
                        + "': it must start with oss://, cos://, s3:// or file://"));
        if (!FILE.equals(scheme)) {
            throw StorageErrors.URI_NOT_SUPPORTED.exception("Storage " + scheme.toUpperCase(Locale.ROOT)
                    + " ('" + printable(raw) + "') is not supported yet; use file://");
        }
        requireCleanFilePath(raw, raw.substring((FILE + "://").length()));
        StorageUri uri = new StorageUri(scheme, raw);
        DestinationConfinement.installed().check(uri);
        return uri;
    }

    /** The local directory of a {@code file://} URI. */
    public Path localPath() {
        return Path.of(uri.substring((FILE + "://").length()));
    }

    /** The URI of a child name ({@code a/b}) below this one. */
    public StorageUri resolve(String name) {
        return new StorageUri(scheme, uri.endsWith("/") ? uri + name : uri + "/" + name);
    }

    @Override
    public String toString() {
        return uri;
    }

    private static void requireCleanFilePath(String raw, String path) {
        String problem = null;
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problem = "it contains control characters";
        } else if (!path.startsWith("/")) {
            problem = "the path must be absolute (file:///dir)";
        } else if (List.of(path.split("/")).contains("..")) {
            problem = "the path must not contain '..'";
        } else if (!Path.of(path).normalize().toString().equals(stripTrailingSlash(path))) {
            problem = "the path is not normalized (no '.', no '//')";
        }
        if (problem != null) {
            throw StorageErrors.URI_INVALID.exception("Invalid storage URI '" + printable(raw) + "': " + problem);
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * What a message may show of a URI: the query (where obshell URIs carry access keys) is cut off, and control
     * characters are escaped so that a message cannot forge log lines.
     */
    private static String printable(String raw) {
        if (raw == null) {
            return "";
        }
        int query = raw.indexOf('?');
        String shown = query < 0 ? raw : raw.substring(0, query) + "?<hidden>";
        StringBuilder out = new StringBuilder();
        shown.chars().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
