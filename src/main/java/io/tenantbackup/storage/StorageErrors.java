package io.tenantbackup.storage;

import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.error.ServiceException;

/**
 * obshell's storage URI code, the way its messages show a URI that could not be parsed, and ours for destinations
 * {@link DestinationConfinement} refuses.
 */
public final class StorageErrors {

    public static final ErrorCode URI_INVALID = new ErrorCode(400, "OB.Storage.URI.Invalid");
    public static final ErrorCode URI_PROTECTED = new ErrorCode(400, "OB.Storage.URI.Protected");
    public static final ErrorCode URI_NOT_ALLOWED = new ErrorCode(400, "OB.Storage.URI.NotAllowed");

    private StorageErrors() {
    }

    /** "Invalid storage URI: <obshell's reason> ('<uri without its query>')". */
    static ServiceException invalid(String reason, String raw) {
        return URI_INVALID.exception("Invalid storage URI: " + reason + " ('" + printable(raw) + "')");
    }

    /**
     * What a message may show of a URI that did not parse: the query (where obshell URIs carry access keys) is cut
     * off, and control characters are escaped so that a message cannot forge log lines.
     */
    static String printable(String raw) {
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
