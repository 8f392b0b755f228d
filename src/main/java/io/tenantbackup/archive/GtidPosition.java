package io.tenantbackup.archive;

import java.util.Map;
import java.util.TreeMap;

/**
 * A MariaDB GTID position: the last GTID of each replication domain, as {@code @@gtid_binlog_pos} writes it
 * ({@code 0-1-27,1-5-3}, ordered by domain).
 */
record GtidPosition(Map<Long, String> byDomain) {

    static final GtidPosition EMPTY = new GtidPosition(Map.of());

    static GtidPosition parse(String text) {
        GtidPosition position = EMPTY;
        if (text != null) {
            for (String gtid : text.split(",")) {
                if (!gtid.isBlank()) {
                    position = position.with(gtid.trim());
                }
            }
        }
        return position;
    }

    /** This position after the transaction {@code gtid} ({@code domain-server-seq}). */
    GtidPosition with(String gtid) {
        Map<Long, String> next = new TreeMap<>(byDomain);
        next.put(Long.parseLong(gtid.substring(0, gtid.indexOf('-'))), gtid);
        return new GtidPosition(Map.copyOf(next));
    }

    @Override
    public String toString() {
        return String.join(",", new TreeMap<>(byDomain).values());
    }
}
