package io.tenantbackup.repository.archive;

import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.WrappedKey;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of an archive destination for restore: which passphrase opens each encrypted round, and the original
 * bytes of an archived file, checked (size, SHA-256 of the stored bytes, GCM tags, the binlog's size) while they are
 * decoded. Passphrases never appear in a message.
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
        String where = archive.uri().resolve(piece.storedPath(file)).toString();
        MasterKey key = null;
        if (piece.encrypted()) {
            if (passphrase == null) {
                throw new WrongPasswordException(where + " is encrypted and no passphrase of archive round "
                        + piece.roundId() + " is known");
            }
            key = piece.encryption().dataKey().unwrap(passphrase, "archive round " + piece.roundId());
        }
        try {
            ArtifactCodec codec = ArtifactCodec.of(piece.compression(), key,
                    piece.encrypted() ? piece.encryption().segmentSize() : 0);
            try (InputStream in = codec.open(archive, piece.stored(file))) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (key != null) {
                key.close();
            }
        }
        if (Files.size(target) != file.binlogSize()) {
            throw new CorruptArtifactException(where + " decodes to " + Files.size(target) + " bytes, not "
                    + file.binlogSize());
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
