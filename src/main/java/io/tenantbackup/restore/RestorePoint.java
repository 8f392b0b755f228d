package io.tenantbackup.restore;

import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.error.CommonErrors;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Where a restore ends: the newest restorable point, a time ({@code timestamp}, inclusive to the second of the
 * binlog's event times) or an SCN (the GTID seq_no of the source's domain, inclusive).
 */
record RestorePoint(Instant time, Long scn) {

    static final RestorePoint LATEST = new RestorePoint(null, null);
    private static final Instant UNSET_TIME = Instant.EPOCH;

    static RestorePoint of(OffsetDateTime timestamp, Long scn) {
        Instant time = timestamp == null || timestamp.toInstant().equals(UNSET_TIME) ? null : timestamp.toInstant();
        Long seq = scn == null || scn == 0 ? null : scn;
        if (time != null && seq != null) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("Give either timestamp or scn as the restore point, not both");
        }
        return new RestorePoint(time, seq);
    }

    static RestorePoint parse(String kind, String value) {
        return switch (kind) {
            case "time" -> new RestorePoint(Instant.parse(value), null);
            case "scn" -> new RestorePoint(null, Long.parseLong(value));
            default -> LATEST;
        };
    }

    boolean latest() {
        return time == null && scn == null;
    }

    String kind() {
        return time != null ? "time" : scn != null ? "scn" : "latest";
    }

    String value() {
        return time != null ? time.toString() : scn != null ? scn.toString() : "";
    }

    /** Whether the set's consistent point is at or before this point (its end time, or its GTID seq_no). */
    boolean admits(BackupSetManifest set) {
        if (time != null) {
            return !Instant.parse(set.endTime()).isAfter(time);
        }
        if (scn != null) {
            return Gtids.seqNo(set.gtid()) <= scn;
        }
        return true;
    }

    @Override
    public String toString() {
        return time != null ? "timestamp " + time : scn != null ? "scn " + scn : "the newest point";
    }
}
