package io.tenantbackup.restore;

import io.tenantbackup.archive.PieceManifest;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;

/**
 * A source tenant's archived binlog as its piece manifests list it ({@code round_R/piece_P/manifest.json}), in
 * order, and the files a replay from a backup's GTID to a point needs. The files must be contiguous: each starts at
 * the GTID position where the one before it ended.
 */
final class ArchivedBinlog {

    /** One archived binlog file and where it is stored below the archive destination. */
    record File(String storedPath, PieceManifest.ArchivedFile entry) {
        long startSeq() {
            return Gtids.seqNo(entry.startGtidPos());
        }

        long endSeq() {
            return Gtids.seqNo(entry.endGtidPos());
        }
    }

    private final List<File> files;

    private ArchivedBinlog(List<File> files) {
        this.files = files;
    }

    static ArchivedBinlog read(BackupStorage archive, String sourceTenant) throws IOException {
        record Piece(long round, long piece, PieceManifest manifest) {
        }
        List<Piece> pieces = new ArrayList<>();
        for (String name : archive.list("")) {
            Matcher match = PieceManifest.PATH.matcher(name);
            if (match.matches()) {
                long round = Long.parseLong(match.group(1));
                long pieceId = Long.parseLong(match.group(2));
                PieceManifest manifest = PieceManifest.read(archive, round, pieceId);
                if (sourceTenant.equals(manifest.tenantName())) {
                    pieces.add(new Piece(round, pieceId, manifest));
                }
            }
        }
        pieces.sort(Comparator.comparingLong(Piece::round).thenComparingLong(Piece::piece));
        List<File> files = new ArrayList<>();
        for (Piece piece : pieces) {
            String directory = PieceManifest.directory(piece.round(), piece.piece()) + "/";
            piece.manifest().files().forEach(file -> files.add(new File(directory + file.storedName(), file)));
        }
        return new ArchivedBinlog(files);
    }

    List<File> files() {
        return files;
    }

    /** Archived files that continue a GTID position without a gap, and why the run ends where it does. */
    record Run(List<File> files, String endReason) {
        /** The time of the last event of the run; null when it is empty. */
        Instant lastEventTime() {
            return files.stream().map(file -> file.entry().lastEventTime()).filter(java.util.Objects::nonNull)
                    .map(Instant::parse).max(Comparator.naturalOrder()).orElse(null);
        }
    }

    /** The contiguous run of files holding the transactions after {@code fromGtid}. */
    Run contiguousFrom(String fromGtid) {
        long from = Gtids.seqNo(fromGtid);
        List<File> run = new ArrayList<>();
        for (File file : files) {
            if (file.endSeq() <= from) {
                continue;
            }
            if (run.isEmpty() && file.startSeq() > from) {
                return new Run(run, "the archived binlog resumes at GTID seq_no " + file.startSeq() + " ("
                        + file.entry().name() + "), after GTID '" + fromGtid + "'");
            }
            if (!run.isEmpty() && file.startSeq() != run.get(run.size() - 1).endSeq()) {
                File before = run.get(run.size() - 1);
                return new Run(run, "gap in the archived binlog: " + before.entry().name() + " ends at GTID seq_no "
                        + before.endSeq() + " but the next archived file " + file.entry().name() + " starts at "
                        + file.startSeq());
            }
            run.add(file);
        }
        return new Run(run, run.isEmpty() ? "no archived binlog continues GTID '" + fromGtid + "'"
                : "the archived binlog ends with " + run.get(run.size() - 1).entry().name());
    }

    /**
     * The files holding the transactions after {@code fromGtid} up to {@code point}; an archive that does not reach
     * the point without a gap is an {@link IOException} saying why.
     */
    List<File> replayFrom(String fromGtid, RestorePoint point) throws IOException {
        Run run = contiguousFrom(fromGtid);
        boolean reached = point.scn() != null
                ? Gtids.seqNo(fromGtid) >= point.scn() || run.files().stream().anyMatch(file -> file.endSeq() >= point.scn())
                : run.lastEventTime() != null && !run.lastEventTime().isBefore(point.time());
        if (!reached) {
            throw new IOException(point + " is not covered: " + run.endReason());
        }
        return run.files().stream().takeWhile(file -> !beyond(file, point)).toList();
    }

    private static boolean beyond(File file, RestorePoint point) {
        if (point.scn() != null) {
            return file.startSeq() >= point.scn();
        }
        return point.time() != null && file.entry().firstEventTime() != null
                && Instant.parse(file.entry().firstEventTime()).isAfter(point.time());
    }
}
