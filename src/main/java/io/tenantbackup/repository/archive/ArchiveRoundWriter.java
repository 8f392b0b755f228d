package io.tenantbackup.repository.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.crypto.WrappedKey;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.KeepOpenOutputStream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes one round of a tenant's archive: pieces of binlog files stored through the {@link ArtifactCodec} (zstd, then
 * segmented AES-GCM under the round's data key when the round is encrypted), each piece described by its
 * {@link PieceManifest}, the source of truth for what is archived. A round keeps one encryption from its first piece
 * to its end: {@link #open} refuses to continue a round with another one.
 */
public final class ArchiveRoundWriter implements AutoCloseable {

    private static final int ZSTD_LEVEL = 3;

    /** The round's pieces were written in clear or under another passphrase than the configured one. */
    public static final class EncryptionChanged extends IOException {
        private final transient PieceManifest lastPiece;

        EncryptionChanged(String message, PieceManifest lastPiece) {
            super(message);
            this.lastPiece = lastPiece;
        }

        public PieceManifest lastPiece() {
            return lastPiece;
        }
    }

    private final BackupStorage storage;
    private final ObjectMapper json;
    private final long tenantId;
    private final String tenantName;
    private final long roundId;
    private final PieceManifest.Encryption encryption;
    private final MasterKey dataKey;

    private ArchiveRoundWriter(BackupStorage storage, ObjectMapper json, long tenantId, String tenantName, long roundId,
                               PieceManifest.Encryption encryption, MasterKey dataKey) {
        this.storage = storage;
        this.json = json;
        this.tenantId = tenantId;
        this.tenantName = tenantName;
        this.roundId = roundId;
        this.encryption = encryption;
        this.dataKey = dataKey;
    }

    /**
     * The writer of round {@code roundId}, encrypted when {@code passphrase} is given (null: in clear). A round
     * without a piece yet gets a new random data key, wrapped under the passphrase; a round with pieces continues with
     * theirs, which the passphrase must open. A round whose pieces are in clear while a passphrase is given, encrypted
     * while none is, or wrapped under another passphrase is an {@link EncryptionChanged}: the caller starts a new
     * round after its last file.
     */
    public static ArchiveRoundWriter open(BackupStorage storage, ObjectMapper json, long tenantId, String tenantName,
                                          long roundId, char[] passphrase) throws IOException {
        Optional<PieceManifest> last = ArchiveLayout.lastPiece(storage, roundId);
        if (last.isEmpty()) {
            if (passphrase == null) {
                return new ArchiveRoundWriter(storage, json, tenantId, tenantName, roundId, null, null);
            }
            WrappedKey.Sealed sealed = WrappedKey.seal(passphrase);
            return new ArchiveRoundWriter(storage, json, tenantId, tenantName, roundId, new PieceManifest.Encryption(
                    SegmentedAesGcm.ALGORITHM, SegmentedAesGcm.DEFAULT_SEGMENT_SIZE, sealed.wrapped()), sealed.dataKey());
        }
        PieceManifest piece = last.get();
        String round = "archive round " + roundId + " of tenant " + tenantName;
        if (!piece.encrypted() && passphrase == null) {
            return new ArchiveRoundWriter(storage, json, tenantId, tenantName, roundId, null, null);
        }
        if (!piece.encrypted()) {
            throw new EncryptionChanged(round + " is archived in clear and archive encryption is now configured",
                    piece);
        }
        if (passphrase == null) {
            throw new EncryptionChanged(round + " is encrypted and no archive passphrase is configured any more",
                    piece);
        }
        MasterKey key;
        try {
            key = piece.encryption().dataKey().unwrap(passphrase, round);
        } catch (WrongPasswordException e) {
            throw new EncryptionChanged(round + " is encrypted under another archive passphrase than the configured"
                    + " one (it was changed)", piece);
        }
        return new ArchiveRoundWriter(storage, json, tenantId, tenantName, roundId, piece.encryption(), key);
    }

    public String uri() {
        return storage.uri().toString();
    }

    public boolean encrypted() {
        return encryption != null;
    }

    /** The newest piece of the round that has a manifest. */
    public Optional<PieceManifest> lastPiece() throws IOException {
        return ArchiveLayout.lastPiece(storage, roundId);
    }

    /**
     * Stores the closed binlog {@code file} (described by {@code described}) through the codec, then the manifest
     * that lists it, in the current piece or in a new one once {@code pieceSwitch} has passed since the current
     * piece's start. Returns the manifest now in force.
     */
    public PieceManifest store(Optional<PieceManifest> current, Path file, PieceManifest.ArchivedFile described,
                               Duration pieceSwitch) throws IOException {
        Instant fileStart = described.firstEvent() == null ? Instant.now() : described.firstEvent();
        PieceManifest piece = current
                .filter(open -> fileStart.isBefore(Instant.parse(open.startTime()).plus(pieceSwitch)))
                .orElseGet(() -> PieceManifest.open(tenantId, tenantName, roundId,
                        current.map(PieceManifest::pieceId).orElse(0L) + 1, fileStart, encryption));
        String source = ArchiveLayout.pieceDirectory(roundId, piece.pieceId()) + "/" + described.name();
        StoredArtifact.StoredFile stored;
        try (StoredArtifact artifact = StoredArtifact.create(storage, source, codec())) {
            Files.copy(file, artifact.stream());
            stored = artifact.commit();
        }
        return write(piece.plus(described.storedAs(piece.storedName(described.name()), stored)));
    }

    /** Records in the piece's manifest that the round is complete up to {@code time}; returns the manifest in force. */
    public PieceManifest completeUpTo(PieceManifest piece, Instant time) throws IOException {
        return write(piece.completeUpTo(time));
    }

    private ArtifactCodec codec() {
        ArtifactCodec zstd = ArtifactCodec.zstd(ZSTD_LEVEL, 0);
        return encryption == null ? zstd : zstd.encryptedWith(dataKey, encryption.segmentSize());
    }

    private PieceManifest write(PieceManifest piece) throws IOException {
        try (BackupStorage.AtomicWriter writer = storage.create(ArchiveLayout.manifestPath(roundId, piece.pieceId()))) {
            json.writerWithDefaultPrettyPrinter().writeValue(new KeepOpenOutputStream(writer), piece);
            writer.commit();
        }
        return piece;
    }

    @Override
    public void close() {
        if (dataKey != null) {
            dataKey.close();
        }
    }
}
