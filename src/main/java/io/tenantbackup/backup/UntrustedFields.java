package io.tenantbackup.backup;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Checks for fields read back from a destination, which whoever can write there may have crafted: a name that does
 * not match is refused before it is joined to any path, a position or time before it reaches a parser or a command
 * line. Each format's reader applies them to its own fields.
 */
public final class UntrustedFields {

    /** One path component, no separator, not starting with a dot: {@code data.xbstream.zst}, {@code mysql-bin.000003}. */
    public static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** A numbered binlog file: {@code mysql-bin.000003}. */
    public static final Pattern BINLOG_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\.\\d{6,10}");
    /** A tenant name as tenants are named here. */
    public static final Pattern TENANT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    /** A GTID position, {@code 0-1-27,1-5-3}, or empty. */
    public static final Pattern GTID_POSITION = Pattern.compile("(\\d{1,10}-\\d{1,10}-\\d{1,18}(,\\d{1,10}-\\d{1,10}-\\d{1,18})*)?");

    private UntrustedFields() {
    }

    /** {@code value} of {@code field}, if it matches {@code pattern}; otherwise an {@link IllegalArgumentException}. */
    public static String require(Pattern pattern, String value, String field) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + printable(value) + "' is not a valid name (expected "
                    + pattern.pattern() + ")");
        }
        return value;
    }

    /** {@code value} of {@code field} as an ISO-8601 instant; null only when {@code optional}. */
    public static void requireTime(String value, String field, boolean optional) {
        if (value == null && optional) {
            return;
        }
        try {
            Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + printable(value) + "' is not an ISO-8601 time");
        }
    }

    /** A crafted name may carry control characters (forged log lines) or be huge. */
    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
