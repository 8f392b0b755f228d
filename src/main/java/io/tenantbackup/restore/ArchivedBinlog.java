package io.tenantbackup.restore;

import io.tenantbackup.repository.archive.ArchiveLayout;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A source tenant's archived binlog as its piece manifests list it ({@link ArchiveLayout}), in order, and the files a
 * replay from a backup's GTID to a point needs. The files must be contiguous: each starts at the GTID position where
 * the one before it ended. A round is known complete up to the later of its last event and its newest piece's
 * checkpoint (the archiver's last probe that found nothing new to archive).
 */
final class ArchivedBinlog {

    /** One archived binlog file and the piece that lists it. */
    record File(PieceManifest piece, PieceManifest.ArchivedFile entry) {
        long round() {
            return piece.roundId();
        }

        long startSeq() {
            return Gtids.seqNo(entry.startGtidPos());
        }

        long endSeq() {
            return Gtids.seqNo(entry.endGtidPos());
        }

        Instant lastEventTime() {
            return entry.lastEvent();
        }
    }

    private final List<File> files;
    /** Per round, the newest checkpoint its pieces record. */
    private final Map<Long, Instant> checkpoints;

    private ArchivedBinlog(List<File> files, Map<Long, Instant> checkpoints) {
        this.files = files;
        this.checkpoints = checkpoints;
    }

    static ArchivedBinlog read(BackupStorage archive, String sourceTenant) throws IOException {
        List<PieceManifest> pieces = ArchiveLayout.pieces(archive).stream()
                .filter(piece -> sourceTenant.equals(piece.tenantName())).toList();
        Map<Long, Instant> checkpoints = new HashMap<>();
        for (PieceManifest piece : pieces) {
            if (piece.checkpoint() != null) {
                checkpoints.merge(piece.roundId(), Instant.parse(piece.checkpoint()), (x, y) -> x.isAfter(y) ? x : y);
            }
        }
        return new ArchivedBinlog(filesOf(pieces), checkpoints);
    }

    /** Every archived file of the destination, of any tenant. */
    static List<File> all(BackupStorage archive) throws IOException {
        return filesOf(ArchiveLayout.pieces(archive));
    }

    private static List<File> filesOf(List<PieceManifest> pieces) {
        return pieces.stream().flatMap(piece -> piece.files().stream().map(file -> new File(piece, file))).toList();
    }

    /** The pieces that list {@code files}, once each, in order. */
    static List<PieceManifest> pieces(List<File> files) {
        return files.stream().map(File::piece).distinct().toList();
    }

    List<File> files() {
        return files;
    }

    /**
     * Archived files that continue a GTID position without a gap, the time up to which they make every point
     * restorable ({@code end}; null when the archive does not reach the position at all) and why the run ends there.
     */
    record Run(List<File> files, Instant end, String endReason) {
        /** The GTID seq_no the run reaches; {@code from} when it holds no file. */
        long endSeq(long from) {
            return files.isEmpty() ? from : files.get(files.size() - 1).endSeq();
        }
    }

    /**
     * The contiguous run of files holding the transactions after {@code fromGtid}. The run starts at the file that
     * reaches {@code fromGtid} (its end) or contains it, so an archive that ends exactly at the position continues
     * it with no file at all.
     */
    Run contiguousFrom(String fromGtid) {
        long from = Gtids.seqNo(fromGtid);
        if (files.isEmpty()) {
            return new Run(List.of(), null, "there is no archived binlog of the tenant in the archive");
        }
        File reached = null;
        List<File> run = new ArrayList<>();
        for (File file : files) {
            if (file.endSeq() <= from) {
                reached = file.endSeq() == from ? file : reached;
                continue;
            }
            if (run.isEmpty() ? file.startSeq() > from : file.startSeq() != run.get(run.size() - 1).endSeq()) {
                File before = run.isEmpty() ? reached : run.get(run.size() - 1);
                String reason = run.isEmpty()
                        ? "the archived binlog resumes at GTID seq_no " + file.startSeq() + " (" + file.entry().name()
                        + "), after GTID '" + fromGtid + "'"
                        : "gap in the archived binlog: " + before.entry().name() + " ends at GTID seq_no "
                        + before.endSeq() + " but the next archived file " + file.entry().name() + " starts at "
                        + file.startSeq();
                if (before != null && before.round() != file.round()) {
                    reason += " (round " + before.round() + " was stopped or interrupted with " + before.entry().name()
                            + "; round " + file.round() + " began later)";
                }
                return before == null ? new Run(run, null, reason) : endingAt(before, run, reason);
            }
            run.add(file);
        }
        File last = run.isEmpty() ? reached : run.get(run.size() - 1);
        if (last == null) {
            File newest = files.get(files.size() - 1);
            return new Run(run, null, "no archived binlog continues GTID '" + fromGtid + "': the archive ends at GTID"
                    + " seq_no " + newest.endSeq() + " (" + newest.entry().name() + ")");
        }
        return endingAt(last, run, "nothing newer is archived: round " + last.round() + " ends with "
                + last.entry().name() + " at GTID seq_no " + last.endSeq());
    }

    /**
     * A run whose newest file is {@code last}: it ends at that file's last event, or at its round's checkpoint when
     * {@code last} is the last file of its round.
     */
    private Run endingAt(File last, List<File> run, String reason) {
        Instant end = last.lastEventTime();
        boolean lastOfRound = files.stream().filter(file -> file.round() == last.round())
                .reduce((first, second) -> second).orElseThrow() == last;
        Instant checkpoint = checkpoints.get(last.round());
        if (lastOfRound && checkpoint != null && (end == null || checkpoint.isAfter(end))) {
            end = checkpoint;
        }
        return new Run(List.copyOf(run), end, reason);
    }

    /**
     * The files holding the transactions after {@code fromGtid} up to {@code point}; an archive that does not reach
     * the point without a gap is an {@link IOException} saying why.
     */
    List<File> replayFrom(String fromGtid, RestorePoint point) throws IOException {
        Run run = contiguousFrom(fromGtid);
        boolean reached = point.scn() != null
                ? Gtids.seqNo(fromGtid) >= point.scn() || run.endSeq(Gtids.seqNo(fromGtid)) >= point.scn()
                : run.end() != null && !run.end().isBefore(point.time());
        if (!reached) {
            throw new IOException(point + " is not covered: " + run.endReason());
        }
        return run.files().stream().takeWhile(file -> !beyond(file, point)).toList();
    }

    private static boolean beyond(File file, RestorePoint point) {
        if (point.scn() != null) {
            return file.startSeq() >= point.scn();
        }
        return point.time() != null && file.entry().firstEvent() != null
                && file.entry().firstEvent().isAfter(point.time());
    }
}
