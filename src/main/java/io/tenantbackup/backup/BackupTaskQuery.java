package io.tenantbackup.backup;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Filters of {@code GET …/backup/tasks}, normalized as obshell does (param/backup.go): {@code status} is a
 * comma list, upper-cased; {@code sort} is {@code field[,order]} with field start_timestamp|end_timestamp and order
 * asc|desc, anything else falls back to start_timestamp / desc; page below 1 is 1, size below 1 is 2147483647.
 * {@code start_time} keeps sets that started at or after it, {@code end_time} sets that started at or before it.
 */
public record BackupTaskQuery(OffsetDateTime startTime, OffsetDateTime endTime, List<String> statuses, long page,
                              long size, String sortField, boolean ascending) {

    public static final String START_TIMESTAMP = "start_timestamp";
    public static final String END_TIMESTAMP = "end_timestamp";

    public static BackupTaskQuery of(OffsetDateTime startTime, OffsetDateTime endTime, String status, Long page,
                                     Long size, String sort) {
        List<String> statuses = status == null || status.isEmpty() ? List.of()
                : Arrays.asList(status.toUpperCase(Locale.ROOT).split(","));
        String[] parts = sort == null || sort.isEmpty() ? new String[0] : sort.split(",");
        String field = parts.length > 0 && (parts[0].equals(START_TIMESTAMP) || parts[0].equals(END_TIMESTAMP))
                ? parts[0] : START_TIMESTAMP;
        boolean ascending = parts.length == 2 && parts[1].equals("asc");
        return new BackupTaskQuery(startTime, endTime, statuses, page == null || page < 1 ? 1 : page,
                size == null || size < 1 ? Integer.MAX_VALUE : size, field, ascending);
    }
}
