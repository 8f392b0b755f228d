package io.tenantbackup.repository.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.archive.ArchivedBinlogs;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.ByteSearch;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rounds on a real file destination: piece switch by event time, manifests that survive a restart, exact bytes; an
 * encrypted round holds no plaintext, opens only with its passphrase, and a new passphrase never continues it.
 */
class ArchiveRoundWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration PIECE_SWITCH = Duration.ofHours(1);
    private static final String MARKER = "archive-marker-7d1f";

    private Path work;
    private Path root;

    @BeforeEach
    void directories() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "tb-ard");
        root = work.resolve("archive");
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestTenant.deleteTree(work);
    }

    @Test
    void aNewPieceStartsOnceTheSwitchIntervalHasPassedAndARestartContinuesIt() throws Exception {
        PieceManifest piece = writer(1, null).store(Optional.empty(), binlog("mysql-bin.000001", 1000),
                described("mysql-bin.000001", 1000, T0), PIECE_SWITCH);
        piece = writer(1, null).store(Optional.of(piece), binlog("mysql-bin.000002", 2000),
                described("mysql-bin.000002", 2000, T0.plus(Duration.ofMinutes(59))), PIECE_SWITCH);
        assertEquals(1, piece.pieceId());

        PieceManifest reread = writer(1, null).lastPiece().orElseThrow();
        assertEquals(piece, reread);
        PieceManifest next = writer(1, null).store(Optional.of(reread), binlog("mysql-bin.000003", 3000),
                described("mysql-bin.000003", 3000, T0.plus(Duration.ofHours(1))), PIECE_SWITCH);
        assertEquals(2, next.pieceId());
        assertEquals(List.of("mysql-bin.000003"), next.files().stream().map(PieceManifest.ArchivedFile::name).toList());
        assertEquals(next, writer(1, null).lastPiece().orElseThrow());

        assertSpoolEqualsExtracted(ArchivedBinlogs.extract(root, 1, work.resolve("out")), 3);
        assertTrue(Files.exists(root.resolve("round_1/piece_1/mysql-bin.000002.zst")));
        assertTrue(Files.exists(root.resolve("round_1/piece_2/manifest.json")));
        assertNull(next.encryption());
    }

    @Test
    void anEncryptedRoundHoldsNoPlaintextAndOpensOnlyWithItsPassphrase() throws Exception {
        try (ArchiveRoundWriter writer = writer(1, "first passphrase")) {
            PieceManifest piece = writer.store(Optional.empty(), binlog("mysql-bin.000001", 5000),
                    described("mysql-bin.000001", 5000, T0), PIECE_SWITCH);
            assertEquals(PieceManifest.ENCRYPTED_FORMAT_VERSION, piece.formatVersion());
        }
        try (ArchiveRoundWriter resumed = writer(1, "first passphrase")) {
            resumed.store(resumed.lastPiece(), binlog("mysql-bin.000002", 6000),
                    described("mysql-bin.000002", 6000, T0.plus(Duration.ofHours(2))), PIECE_SWITCH);
        }
        Path stored = root.resolve("round_1/piece_2/mysql-bin.000002.zst.enc");
        assertTrue(Files.exists(stored));
        for (Path file : List.of(root.resolve("round_1/piece_1/mysql-bin.000001.zst.enc"), stored)) {
            byte[] bytes = Files.readAllBytes(file);
            assertFalse(ByteSearch.contains(bytes, MARKER.getBytes(StandardCharsets.US_ASCII)), file.toString());
            assertFalse(ByteSearch.contains(bytes, ByteSearch.BINLOG_MAGIC), file.toString());
        }
        String manifest = Files.readString(root.resolve("round_1/piece_2/manifest.json"));
        assertFalse(manifest.contains("first passphrase"), manifest);
        assertTrue(manifest.contains("\"wrapped_key\""), manifest);

        assertSpoolEqualsExtracted(ArchivedBinlogs.extract(root, 1, "first passphrase", work.resolve("out")), 2);
        assertThrows(WrongPasswordException.class,
                () -> ArchivedBinlogs.extract(root, 1, "another one", work.resolve("wrong")));
        assertThrows(WrongPasswordException.class, () -> ArchivedBinlogs.extract(root, 1, work.resolve("none")));
    }

    @Test
    void aChangedPassphraseStartsANewRoundAndEachRoundOpensWithItsOwn() throws Exception {
        try (ArchiveRoundWriter writer = writer(1, "old passphrase")) {
            writer.store(Optional.empty(), binlog("mysql-bin.000001", 1000), described("mysql-bin.000001", 1000, T0),
                    PIECE_SWITCH);
        }
        ArchiveRoundWriter.EncryptionChanged changed = assertThrows(ArchiveRoundWriter.EncryptionChanged.class,
                () -> writer(1, "new passphrase"));
        assertEquals("mysql-bin.000001", changed.lastPiece().lastFile().name());
        assertThrows(ArchiveRoundWriter.EncryptionChanged.class, () -> writer(1, null));
        try (ArchiveRoundWriter writer = writer(2, "new passphrase")) {
            writer.store(Optional.empty(), binlog("mysql-bin.000002", 2000),
                    described("mysql-bin.000002", 2000, T0.plusSeconds(60)), PIECE_SWITCH);
        }

        BackupStorage archive = Storages.open("file://" + root);
        List<PieceManifest> pieces = ArchiveLayout.pieces(archive);
        Map<Long, char[]> byRound = ArchiveReader.passphrases(archive, pieces,
                List.of("unrelated", "new passphrase", "old passphrase"));
        assertEquals("old passphrase", new String(byRound.get(1L)));
        assertEquals("new passphrase", new String(byRound.get(2L)));
        WrongPasswordException onlyNew = assertThrows(WrongPasswordException.class,
                () -> ArchiveReader.passphrases(archive, pieces, List.of("new passphrase")));
        assertTrue(onlyNew.getMessage().contains("archive round 1") && onlyNew.getMessage().contains("encrypted"),
                onlyNew.getMessage());
        assertFalse(onlyNew.getMessage().contains("new passphrase"), onlyNew.getMessage());
        assertSpoolEqualsExtracted(ArchivedBinlogs.extract(root, 1, "old passphrase", work.resolve("r1")), 1);
        assertSpoolEqualsExtracted(ArchivedBinlogs.extract(root, 2, "new passphrase", work.resolve("r2")), 1);
    }

    @Test
    void turningEncryptionOnDoesNotContinueAClearRound() throws Exception {
        try (ArchiveRoundWriter writer = writer(1, null)) {
            writer.store(Optional.empty(), binlog("mysql-bin.000001", 1000), described("mysql-bin.000001", 1000, T0),
                    PIECE_SWITCH);
        }
        assertThrows(ArchiveRoundWriter.EncryptionChanged.class, () -> writer(1, "now encrypted"));
        try (ArchiveRoundWriter fresh = writer(2, "now encrypted")) {
            assertTrue(fresh.encrypted());
        }
    }

    @Test
    void aFlippedByteInAnEncryptedFileFailsNamingIt() throws Exception {
        try (ArchiveRoundWriter writer = writer(1, "passphrase")) {
            writer.store(Optional.empty(), binlog("mysql-bin.000001", 100_000),
                    described("mysql-bin.000001", 100_000, T0), PIECE_SWITCH);
        }
        Path stored = root.resolve("round_1/piece_1/mysql-bin.000001.zst.enc");
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(stored, bytes);
        CorruptArtifactException corrupt = assertThrows(CorruptArtifactException.class,
                () -> ArchivedBinlogs.extract(root, 1, "passphrase", work.resolve("out")));
        assertTrue(corrupt.getMessage().contains("round_1/piece_1/mysql-bin.000001.zst.enc"), corrupt.getMessage());
    }

    @Test
    void aManifestWithATamperedKeyParameterIsRefused() throws Exception {
        try (ArchiveRoundWriter writer = writer(1, "passphrase")) {
            writer.store(Optional.empty(), binlog("mysql-bin.000001", 1000), described("mysql-bin.000001", 1000, T0),
                    PIECE_SWITCH);
        }
        Path manifest = root.resolve("round_1/piece_1/manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replace("\"memory_kib\" : 65536",
                "\"memory_kib\" : 8388608"));
        var refused = assertThrows(java.io.IOException.class,
                () -> ArchiveLayout.pieces(Storages.open("file://" + root)));
        assertTrue(refused.getMessage().contains("memory_kib"), refused.getMessage());
        assertNotNull(refused.getMessage());
    }

    private ArchiveRoundWriter writer(long round, String passphrase) throws Exception {
        return ArchiveRoundWriter.open(Storages.open("file://" + root), new ObjectMapper(), 7, "ar7", round,
                passphrase == null ? null : passphrase.toCharArray());
    }

    private void assertSpoolEqualsExtracted(List<Path> restored, int count) throws Exception {
        assertEquals(count, restored.size());
        for (Path file : restored) {
            assertArrayEquals(Files.readAllBytes(work.resolve("spool").resolve(file.getFileName())),
                    Files.readAllBytes(file), file.toString());
        }
    }

    /** A binlog-like file: the magic bytes, then rows carrying the marker. */
    private Path binlog(String name, int size) throws Exception {
        Path file = work.resolve("spool").resolve(name);
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        byte[] row = ("INSERT " + MARKER + " ").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            bytes[i] = (i % 97 < row.length) ? row[i % 97] : (byte) (i * 31 + size);
        }
        System.arraycopy(ByteSearch.BINLOG_MAGIC, 0, bytes, 0, 4);
        Files.write(file, bytes);
        return file;
    }

    private static PieceManifest.ArchivedFile described(String name, long size, Instant start) {
        return PieceManifest.ArchivedFile.describing(name, size, "0-1-1", "0-1-2", "", "0-1-2", start,
                start.plusSeconds(30));
    }
}
