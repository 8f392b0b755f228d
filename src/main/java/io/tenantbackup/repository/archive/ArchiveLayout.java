package io.tenantbackup.repository.archive;

import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout of an archive destination, for the archiver and restore alike: {@code round_<R>/piece_<P>/} with the
 * piece's {@code manifest.json} and its stored files. A piece counts once its manifest exists. Nothing else lists or
 * names these paths.
 */
public final class ArchiveLayout {

    static final String MANIFEST_NAME = "manifest.json";
    private static final Pattern ROUND_DIRECTORY = Pattern.compile("round_(\\d{1,18})");
    private static final Pattern PIECE_DIRECTORY = Pattern.compile("piece_(\\d{1,18})");

    private ArchiveLayout() {
    }

    public static String roundDirectory(long roundId) {
        return "round_" + roundId;
    }

    public static String pieceDirectory(long roundId, long pieceId) {
        return roundDirectory(roundId) + "/piece_" + pieceId;
    }

    static String manifestPath(long roundId, long pieceId) {
        return pieceDirectory(roundId, pieceId) + "/" + MANIFEST_NAME;
    }

    /** Every piece manifest of the destination, by round then piece ({@code round_2} before {@code round_10}). */
    public static List<PieceManifest> pieces(BackupStorage archive) throws IOException {
        List<PieceManifest> pieces = new ArrayList<>();
        for (long round : numbered(archive, "", ROUND_DIRECTORY)) {
            for (long piece : numbered(archive, roundDirectory(round), PIECE_DIRECTORY)) {
                if (archive.size(manifestPath(round, piece)).isPresent()) {
                    pieces.add(PieceManifest.read(archive, round, piece));
                }
            }
        }
        return pieces;
    }

    /**
     * Retention's removal of a piece: its manifest first (the piece stops counting), then its files as the
     * destination's {@code delete_mode} says ({@link BackupStorage#retire}); absent is fine.
     */
    public static void expire(BackupStorage archive, long roundId, long pieceId) throws IOException {
        archive.delete(manifestPath(roundId, pieceId));
        archive.retire(pieceDirectory(roundId, pieceId));
    }

    /** The newest piece of the round that has a manifest. */
    public static Optional<PieceManifest> lastPiece(BackupStorage archive, long roundId) throws IOException {
        List<Long> pieces = numbered(archive, roundDirectory(roundId), PIECE_DIRECTORY);
        for (int index = pieces.size() - 1; index >= 0; index--) {
            if (archive.size(manifestPath(roundId, pieces.get(index))).isPresent()) {
                return Optional.of(PieceManifest.read(archive, roundId, pieces.get(index)));
            }
        }
        return Optional.empty();
    }

    /** The numbers of the sub-directories {@code <prefix>_<n>} of a directory, ascending. */
    private static List<Long> numbered(BackupStorage archive, String directory, Pattern name) throws IOException {
        return archive.list(directory).stream()
                .filter(BackupStorage.Entry::directory)
                .map(entry -> name.matcher(entry.name())).filter(Matcher::matches)
                .map(match -> Long.parseLong(match.group(1)))
                .sorted(Comparator.naturalOrder())
                .toList();
    }
}
