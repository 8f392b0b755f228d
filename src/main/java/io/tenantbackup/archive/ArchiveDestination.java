package io.tenantbackup.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import io.tenantbackup.backup.StoredArtifact;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.KeepOpenOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * One round of a tenant's archive in its destination: pieces of compressed binlog files, each piece described by its
 * {@link PieceManifest}. The manifests are the source of truth for what is archived.
 */
final class ArchiveDestination {

    private static final int ZSTD_LEVEL = 3;

    private final BackupStorage storage;
    private final ObjectMapper json;
    private final long tenantId;
    private final String tenantName;
    private final long roundId;

    ArchiveDestination(BackupStorage storage, ObjectMapper json, long tenantId, String tenantName, long roundId) {
        this.storage = storage;
        this.json = json;
        this.tenantId = tenantId;
        this.tenantName = tenantName;
        this.roundId = roundId;
    }

    String uri() {
        return storage.uri().toString();
    }

    /** The newest piece of the round that has a manifest. */
    Optional<PieceManifest> lastPiece() throws IOException {
        List<Long> pieces = storage.list(PieceManifest.roundDirectory(roundId)).stream()
                .filter(BackupStorage.Entry::directory)
                .map(entry -> PieceManifest.PIECE_DIRECTORY.matcher(entry.name())).filter(Matcher::matches)
                .map(match -> Long.parseLong(match.group(1)))
                .sorted(Comparator.reverseOrder())
                .toList();
        for (long piece : pieces) {
            if (storage.size(PieceManifest.directory(roundId, piece) + "/" + PieceManifest.MANIFEST_NAME).isPresent()) {
                return Optional.of(PieceManifest.read(storage, roundId, piece));
            }
        }
        return Optional.empty();
    }

    /**
     * Stores the closed binlog {@code file} (compressed, checksummed) and then the manifest that lists it, in the
     * current piece or in a new one once {@code pieceSwitch} has passed since the current piece's start.
     * Returns the manifest now in force.
     */
    PieceManifest store(Optional<PieceManifest> current, Path file, BinlogSummary summary, Duration pieceSwitch)
            throws IOException {
        Instant fileStart = summary.firstEventTime() == null ? Instant.now() : summary.firstEventTime();
        PieceManifest piece = current
                .filter(open -> fileStart.isBefore(Instant.parse(open.startTime()).plus(pieceSwitch)))
                .orElseGet(() -> PieceManifest.open(tenantId, tenantName, roundId,
                        current.map(PieceManifest::pieceId).orElse(0L) + 1, fileStart));
        String directory = PieceManifest.directory(roundId, piece.pieceId());
        String binlogName = file.getFileName().toString();
        String storedName = PieceManifest.storedName(binlogName);
        MessageDigest digest = StoredArtifact.sha256();
        try (BackupStorage.AtomicWriter writer = storage.create(directory + "/" + storedName)) {
            try (OutputStream zstd = new ZstdOutputStream(
                    new KeepOpenOutputStream(new DigestOutputStream(writer, digest)), ZSTD_LEVEL)) {
                Files.copy(file, zstd);
            }
            writer.commit();
        }
        long storedSize = storage.size(directory + "/" + storedName).orElseThrow(() -> new IOException(
                "Archived file " + directory + "/" + storedName + " is missing in " + storage.uri() + " after its commit"));
        PieceManifest next = piece.plus(new PieceManifest.ArchivedFile(binlogName, storedName, summary.size(),
                storedSize, java.util.HexFormat.of().formatHex(digest.digest()), summary.firstGtid(), summary.lastGtid(),
                summary.startPosition().toString(), summary.endPosition().toString(),
                text(summary.firstEventTime()), text(summary.lastEventTime())));
        return write(next);
    }

    /** Records in the piece's manifest that the round is complete up to {@code time}; returns the manifest in force. */
    PieceManifest completeUpTo(PieceManifest piece, Instant time) throws IOException {
        return write(piece.completeUpTo(time));
    }

    private PieceManifest write(PieceManifest piece) throws IOException {
        String name = PieceManifest.directory(roundId, piece.pieceId()) + "/" + PieceManifest.MANIFEST_NAME;
        try (BackupStorage.AtomicWriter writer = storage.create(name)) {
            json.writerWithDefaultPrettyPrinter().writeValue(new KeepOpenOutputStream(writer), piece);
            writer.commit();
        }
        return piece;
    }

    private static String text(Instant time) {
        return time == null ? null : time.toString();
    }
}
