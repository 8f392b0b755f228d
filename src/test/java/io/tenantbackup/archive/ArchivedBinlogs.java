package io.tenantbackup.archive;

import io.tenantbackup.repository.archive.ArchiveLayout;
import io.tenantbackup.repository.archive.ArchiveReader;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.TestTenant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads a round of an archive destination as a restore does (through the archive's own reader): every piece manifest
 * in piece order, every stored file checked against its manifest (size, SHA-256) and decoded.
 */
public final class ArchivedBinlogs {

    private ArchivedBinlogs() {
    }

    /** The round's pieces that are visible: a piece directory whose manifest is not written yet is still being archived. */
    public static List<PieceManifest> manifests(Path archiveRoot, long roundId) throws Exception {
        if (!Files.isDirectory(archiveRoot)) {
            return List.of();
        }
        return ArchiveLayout.pieces(Storages.open("file://" + archiveRoot)).stream()
                .filter(piece -> piece.roundId() == roundId).toList();
    }

    /** Verifies and decodes every listed file of a clear round into {@code target}; returns them in order. */
    public static List<Path> extract(Path archiveRoot, long roundId, Path target) throws Exception {
        return extract(archiveRoot, roundId, null, target);
    }

    /** Verifies and decodes every listed file of the round (encrypted under {@code passphrase}) into {@code target}. */
    public static List<Path> extract(Path archiveRoot, long roundId, String passphrase, Path target) throws Exception {
        List<Path> files = new ArrayList<>();
        Files.createDirectories(target);
        BackupStorage archive = Storages.open("file://" + archiveRoot);
        for (PieceManifest piece : manifests(archiveRoot, roundId)) {
            for (PieceManifest.ArchivedFile file : piece.files()) {
                Path plain = target.resolve(file.name());
                ArchiveReader.extract(archive, piece, file, passphrase == null ? null : passphrase.toCharArray(), plain);
                files.add(plain);
            }
        }
        return files;
    }

    /** The GTID position at the end of the newest archived file of the round, "" before the first. */
    public static String archivedUpTo(Path archiveRoot, long roundId) throws Exception {
        List<PieceManifest> pieces = manifests(archiveRoot, roundId);
        List<PieceManifest.ArchivedFile> last = pieces.isEmpty() ? List.of() : pieces.get(pieces.size() - 1).files();
        return last.isEmpty() ? "" : last.get(last.size() - 1).endGtidPos();
    }

    /**
     * No gap and no duplicate in the round: each file listed once, names consecutive, no stored file outside the
     * manifests, and every archived file byte-identical to the server's closed file in {@code binlogDir}.
     */
    public static List<String> assertArchivedOnceAndIdentical(Path archiveRoot, long roundId, Path binlogDir)
            throws Exception {
        List<PieceManifest> pieces = manifests(archiveRoot, roundId);
        List<String> names = pieces.stream().flatMap(piece -> piece.files().stream())
                .map(PieceManifest.ArchivedFile::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), names::toString);
        for (int i = 1; i < names.size(); i++) {
            assertEquals(BinlogNames.next(names.get(i - 1)), names.get(i), names::toString);
        }
        Set<String> listed = pieces.stream().flatMap(piece -> piece.files().stream()
                        .map(file -> piece.storedPath(file)))
                .collect(Collectors.toSet());
        try (Stream<Path> stored = Files.walk(archiveRoot.resolve(ArchiveLayout.roundDirectory(roundId)))) {
            assertEquals(listed, stored.filter(path -> path.toString().endsWith(".zst") || path.toString().endsWith(".zst.enc"))
                    .map(path -> archiveRoot.relativize(path).toString()).collect(Collectors.toSet()));
        }
        Path copies = Files.createTempDirectory(Path.of("/tmp"), "tb-arb");
        try {
            for (Path copy : extract(archiveRoot, roundId, copies)) {
                assertEquals(-1L, Files.mismatch(copy, binlogDir.resolve(copy.getFileName())),
                        copy.getFileName() + " differs from the server's");
            }
        } finally {
            TestTenant.deleteTree(copies);
        }
        return names;
    }
}
