package io.tenantbackup.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.tenantbackup.testing.TestTenant;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads a round of an archive destination as a restore would: every piece manifest in piece order, every stored file
 * checked against its manifest (size, SHA-256) and decompressed.
 */
public final class ArchivedBinlogs {

    private ArchivedBinlogs() {
    }

    /** The round's pieces that are visible: a piece directory whose manifest is not written yet is still being archived. */
    public static List<PieceManifest> manifests(Path archiveRoot, long roundId) throws Exception {
        Path round = archiveRoot.resolve(PieceManifest.roundDirectory(roundId));
        ObjectMapper json = new ObjectMapper();
        List<PieceManifest> pieces = new ArrayList<>();
        if (!Files.isDirectory(round)) {
            return pieces;
        }
        try (Stream<Path> dirs = Files.list(round)) {
            for (Path dir : (Iterable<Path>) dirs.sorted(Comparator.comparing(ArchivedBinlogs::pieceNumber))::iterator) {
                Path manifest = dir.resolve("manifest.json");
                if (Files.exists(manifest)) {
                    pieces.add(json.readValue(manifest.toFile(), PieceManifest.class));
                }
            }
        }
        return pieces;
    }

    /** Verifies and decompresses every listed file of the round into {@code target}; returns them in order. */
    public static List<Path> extract(Path archiveRoot, long roundId, Path target) throws Exception {
        List<Path> files = new ArrayList<>();
        Files.createDirectories(target);
        for (PieceManifest piece : manifests(archiveRoot, roundId)) {
            Path dir = archiveRoot.resolve(PieceManifest.directory(roundId, piece.pieceId()));
            for (PieceManifest.ArchivedFile file : piece.files()) {
                Path stored = dir.resolve(file.storedName());
                assertEquals(file.size(), Files.size(stored), stored.toString());
                assertEquals(file.sha256(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(stored))), stored.toString());
                Path plain = target.resolve(file.name());
                try (InputStream in = new ZstdInputStream(Files.newInputStream(stored))) {
                    Files.copy(in, plain);
                }
                assertEquals(file.binlogSize(), Files.size(plain), plain.toString());
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
                        .map(file -> PieceManifest.directory(roundId, piece.pieceId()) + "/" + file.storedName()))
                .collect(Collectors.toSet());
        try (Stream<Path> stored = Files.walk(archiveRoot.resolve(PieceManifest.roundDirectory(roundId)))) {
            assertEquals(listed, stored.filter(path -> path.toString().endsWith(".zst"))
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

    private static long pieceNumber(Path dir) {
        return Long.parseLong(dir.getFileName().toString().substring("piece_".length()));
    }
}
