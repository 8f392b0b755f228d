package io.tenantbackup.backup;

/** Reads MariaDB GTID positions such as {@code 0-1-17} or {@code 0-1-17,1-2-5}. */
final class GtidPositions {

    private GtidPositions() {
    }

    /** The SCN we report for a position: the highest sequence number over its domains, 0 when empty. */
    static long highestSeqNo(String gtidPosition) {
        long highest = 0;
        if (gtidPosition == null || gtidPosition.isBlank()) {
            return highest;
        }
        for (String gtid : gtidPosition.split(",")) {
            String[] parts = gtid.trim().split("-");
            if (parts.length != 3) {
                throw new IllegalArgumentException("Not a MariaDB GTID: '" + gtid + "' in '" + gtidPosition + "'");
            }
            highest = Math.max(highest, Long.parseLong(parts[2]));
        }
        return highest;
    }
}
