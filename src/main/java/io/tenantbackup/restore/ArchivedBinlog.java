package io.tenantbackup.restore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.archive.PieceManifest;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source tenant's archived binlog as its piece manifests list it ({@code round_R/piece_P/manifest.json}), in
 * order, and the files a replay from a backup's GTID to a point needs. The files must be contiguous: each starts at
 * the GTID position where the one before it ended.
 */
final class ArchivedBinlog {

    private static final Pattern MANIFEST = Pattern.compile("round_(\\d+)/piece_(\\d+)/manifest\\.json");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
            Matcher match = MANIFEST.matcher(name);
            if (match.matches()) {
                try (InputStream in = archive.open(name)) {
                    PieceManifest manifest = JSON.readValue(in, PieceManifest.class);
                    if (sourceTenant.equals(manifest.tenantName())) {
                        pieces.add(new Piece(Long.parseLong(match.group(1)), Long.parseLong(match.group(2)), manifest));
                    }
                }
            }
        }
        pieces.sort(Comparator.comparingLong(Piece::round).thenComparingLong(Piece::piece));
        List<File> files = new ArrayList<>();
        for (Piece piece : pieces) {
            String directory = "round_" + piece.round() + "/piece_" + piece.piece() + "/";
            piece.manifest().files().forEach(file -> files.add(new File(directory + file.storedName(), file)));
        }
        return new ArchivedBinlog(files);
    }

    List<File> files() {
        return files;
    }

    /**
     * The files holding the transactions after {@code fromGtid} up to {@code point}, contiguous; a gap or an
     * archive that ends before the point is an {@link IOException} saying where.
     */
    List<File> replayFrom(String fromGtid, RestorePoint point) throws IOException {
        long from = Gtids.seqNo(fromGtid);
        List<File> needed = new ArrayList<>();
        for (File file : files) {
            if (file.endSeq() <= from) {
                continue;
            }
            if (needed.isEmpty() && file.startSeq() > from) {
                throw new IOException("The archived binlog starts at GTID seq_no " + file.startSeq() + " ("
                        + file.entry().name() + "), after the backup's consistent point " + fromGtid);
            }
            if (!needed.isEmpty() && file.startSeq() != needed.get(needed.size() - 1).endSeq()) {
                File before = needed.get(needed.size() - 1);
                throw new IOException("Gap in the archived binlog: " + before.entry().name() + " ends at GTID seq_no "
                        + before.endSeq() + " but the next archived file " + file.entry().name() + " starts at "
                        + file.startSeq());
            }
            if (beyond(file, point)) {
                break;
            }
            needed.add(file);
        }
        requireReaches(needed, from, point);
        return needed;
    }

    private static boolean beyond(File file, RestorePoint point) {
        if (point.scn() != null) {
            return file.startSeq() >= point.scn();
        }
        return point.time() != null && file.entry().firstEventTime() != null
                && Instant.parse(file.entry().firstEventTime()).isAfter(point.time());
    }

    private void requireReaches(List<File> needed, long from, RestorePoint point) throws IOException {
        if (point.scn() != null) {
            long reached = needed.isEmpty() ? from : needed.get(needed.size() - 1).endSeq();
            if (reached < point.scn()) {
                throw new IOException("The archived binlog reaches GTID seq_no " + reached + " only, before " + point);
            }
            return;
        }
        boolean reached = files.stream().anyMatch(file -> file.entry().lastEventTime() != null
                && !Instant.parse(file.entry().lastEventTime()).isBefore(point.time()));
        if (!reached) {
            throw new IOException("The archived binlog ends before " + point + " (its last archived event is at "
                    + (files.isEmpty() ? "none" : files.get(files.size() - 1).entry().lastEventTime()) + ")");
        }
    }
}
