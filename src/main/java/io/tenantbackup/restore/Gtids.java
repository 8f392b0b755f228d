package io.tenantbackup.restore;

import java.util.List;
import java.util.stream.Stream;

/** The first domain's GTID of a position such as {@code 0-1001-27,1-5-3}, which is the source's own domain. */
public final class Gtids {

    private Gtids() {
    }

    /** Every GTID of the position, in order; none for an empty position. */
    static List<String> all(String position) {
        if (position == null || position.isBlank()) {
            return List.of();
        }
        return Stream.of(position.split(",")).map(String::trim).toList();
    }

    /** The first GTID of the position, or "" when the position is empty. */
    static String first(String position) {
        if (position == null || position.isBlank()) {
            return "";
        }
        return position.split(",")[0].trim();
    }

    /** The seq_no of the first GTID; 0 for an empty position. */
    public static long seqNo(String position) {
        String gtid = first(position);
        return gtid.isEmpty() ? 0 : Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
    }

    /** The GTID of seq_no {@code seq} in the same domain and server as {@code position}'s first GTID. */
    static String withSeqNo(String position, long seq) {
        String gtid = first(position);
        return gtid.substring(0, gtid.lastIndexOf('-') + 1) + seq;
    }
}
