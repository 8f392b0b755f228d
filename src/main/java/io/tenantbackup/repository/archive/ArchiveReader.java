package io.tenantbackup.repository.archive;

import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.VerifyingInputStream;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.WrappedKey;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of an archive destination for restore and verification: which passphrase opens each encrypted
 * round, and the original bytes of an archived file, checked (size, SHA-256 of the stored bytes, GCM tags, the
 * binlog's size) while they are decoded. Passphrases never appear in a message.
 */
public final class ArchiveReader {

    private ArchiveReader() {
    }

    /**
     * For each encrypted round among {@code pieces}, the first candidate that opens it (fresh arrays the caller owns).
     * A round none opens is a {@link WrongPasswordException} that names it and says the archive is encrypted.
     */
    public static Map<Long, char[]> passphrases(BackupStorage archive, List<PieceManifest> pieces,
                                                List<String> candidates) throws WrongPasswordException {
        Map<Long, WrappedKey> keys = new LinkedHashMap<>();
        pieces.stream().filter(PieceManifest::encrypted)
                .forEach(piece -> keys.putIfAbsent(piece.roundId(), piece.encryption().dataKey()));
        Map<WrappedKey, char[]> opened = new HashMap<>();
        Map<Long, char[]> byRound = new HashMap<>();
        for (Map.Entry<Long, WrappedKey> round : keys.entrySet()) {
            char[] match = opened.computeIfAbsent(round.getValue(), key -> firstOpening(key, candidates));
            if (match == null) {
                byRound.values().forEach(password -> Arrays.fill(password, '\0'));
                throw new WrongPasswordException("The archived binlog is encrypted: archive round " + round.getKey()
                        + " (" + archive.uri().resolve(ArchiveLayout.roundDirectory(round.getKey())) + ") is"
                        + " encrypted and " + (candidates.isEmpty() ? "no decryption password was given"
                        : "none of the " + candidates.size() + " decryption password(s) opens it")
                        + "; pass its archive passphrase among the decryption passwords");
            }
            byRound.put(round.getKey(), match.clone());
        }
        opened.values().forEach(password -> Arrays.fill(password, '\0'));
        return byRound;
    }

    /**
     * Writes the original bytes of {@code file} of {@code piece} to {@code target}; {@code passphrase} opens an
     * encrypted round (null for a clear one). A damaged file fails with a {@link CorruptArtifactException} naming it.
     */
    public static void extract(BackupStorage archive, PieceManifest piece, PieceManifest.ArchivedFile file,
                               char[] passphrase, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            decode(archive, piece, file, passphrase, out);
        }
    }

    /**
     * Checks {@code file} of {@code piece} without keeping its bytes: decoded as {@link #extract} decodes it when the
     * round is clear or {@code passphrase} opens it; an encrypted file without its passphrase ({@code null}) by the
     * size and SHA-256 of its stored bytes only. Returns whether it was decoded. A missing file fails with a
     * {@link io.tenantbackup.storage.StorageNotFoundException}, a damaged one with a {@link CorruptArtifactException}.
     */
    public static boolean verify(BackupStorage archive, PieceManifest piece, PieceManifest.ArchivedFile file,
                                 char[] passphrase) throws IOException {
        if (piece.encrypted() && passphrase == null) {
            VerifyingInputStream.verify(archive, piece.stored(file));
            return false;
        }
        decode(archive, piece, file, passphrase, OutputStream.nullOutputStream());
        return true;
    }

    private static void decode(BackupStorage archive, PieceManifest piece, PieceManifest.ArchivedFile file,
                               char[] passphrase, OutputStream target) throws IOException {
        String where = archive.uri().resolve(piece.storedPath(file)).toString();
        MasterKey key = null;
        if (piece.encrypted()) {
            if (passphrase == null) {
                throw new WrongPasswordException(where + " is encrypted and no passphrase of archive round "
                        + piece.roundId() + " is known");
            }
            key = piece.encryption().dataKey().unwrap(passphrase, "archive round " + piece.roundId());
        }
        long decoded;
        try {
            ArtifactCodec codec = ArtifactCodec.of(piece.compression(), key,
                    piece.encrypted() ? piece.encryption().segmentSize() : 0);
            try (InputStream in = codec.open(archive, piece.stored(file))) {
                decoded = in.transferTo(target);
            }
        } finally {
            if (key != null) {
                key.close();
            }
        }
        if (decoded != file.binlogSize()) {
            throw new CorruptArtifactException(where + " decodes to " + decoded + " bytes, not " + file.binlogSize());
        }
    }

    private static char[] firstOpening(WrappedKey key, List<String> candidates) {
        for (String candidate : candidates) {
            char[] password = candidate.toCharArray();
            if (key.opensWith(password)) {
                return password;
            }
            Arrays.fill(password, '\0');
        }
        return null;
    }
}
