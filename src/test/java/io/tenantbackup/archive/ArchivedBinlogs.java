package io.tenantbackup.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads a round of an archive destination as a restore would: every piece manifest in piece order, every stored file
 * checked against its manifest (size, SHA-256) and decompressed.
 */
final class ArchivedBinlogs {

    private ArchivedBinlogs() {
    }

    static List<PieceManifest> manifests(Path archiveRoot, long roundId) throws Exception {
        Path round = archiveRoot.resolve(PieceManifest.roundDirectory(roundId));
        ObjectMapper json = new ObjectMapper();
        List<PieceManifest> pieces = new ArrayList<>();
        if (!Files.isDirectory(round)) {
            return pieces;
        }
        try (Stream<Path> dirs = Files.list(round)) {
            for (Path dir : (Iterable<Path>) dirs.sorted(Comparator.comparing(ArchivedBinlogs::pieceNumber))::iterator) {
                pieces.add(json.readValue(dir.resolve("manifest.json").toFile(), PieceManifest.class));
            }
        }
        return pieces;
    }

    /** Verifies and decompresses every listed file of the round into {@code target}; returns them in order. */
    static List<Path> extract(Path archiveRoot, long roundId, Path target) throws Exception {
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

    private static long pieceNumber(Path dir) {
        return Long.parseLong(dir.getFileName().toString().substring("piece_".length()));
    }
}
