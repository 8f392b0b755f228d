package io.tenantbackup.backup;

import io.tenantbackup.error.CommonErrors;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * obshell's duration syntax (lib/system/time.go): digits then one unit, nothing else. Units ns, us, ms, s, m, h, d,
 * case-insensitive ({@code 1D} = {@code 1d}); no sign, no fraction, no compound ({@code 1h30m} is invalid). The value
 * must be 1ns..365d; overflowing numbers count as too large. Every failure is 400 Common.InvalidTimeDuration.
 */
public final class TimeDurations {

    private static final Pattern SYNTAX = Pattern.compile("^(\\d+)([a-zA-Z]+)$");
    private static final Duration MAX = Duration.ofDays(365);
    private static final Map<String, Duration> UNITS = Map.of(
            "ns", Duration.ofNanos(1), "us", Duration.ofNanos(1_000), "ms", Duration.ofMillis(1),
            "s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1), "h", Duration.ofHours(1), "d", Duration.ofDays(1));

    private TimeDurations() {
    }

    public static Duration parse(String field, String text) {
        Matcher match = SYNTAX.matcher(text);
        if (!match.matches()) {
            throw invalid(field, text, "invalid format, expected a number and a unit such as 10m or 1d");
        }
        Duration unit = UNITS.get(match.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw invalid(field, text, "invalid time unit, use ns, us, ms, s, m, h or d");
        }
        Duration value;
        try {
            value = unit.multipliedBy(Long.parseLong(match.group(1)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(field, text, "time duration is greater than max unit (365d)");
        }
        if (value.isZero()) {
            throw invalid(field, text, "time duration is less than min unit (1ns)");
        }
        if (value.compareTo(MAX) > 0) {
            throw invalid(field, text, "time duration is greater than max unit (365d)");
        }
        return value;
    }

    private static RuntimeException invalid(String field, String text, String why) {
        return CommonErrors.INVALID_TIME_DURATION.exception("Invalid time duration '" + text + "' for " + field + ": " + why);
    }
}
