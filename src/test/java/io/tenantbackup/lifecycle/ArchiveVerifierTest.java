package io.tenantbackup.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.repository.archive.ArchiveRoundWriter;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive part of verify on an encrypted round written by the archiver's writer: with the round's passphrase
 * among the passwords its files are decrypted and decompressed, without it they are checked on their stored bytes and
 * the result says so; a flipped byte is named either way.
 */
class ArchiveVerifierTest {

    private static final String TENANT = "av1";
    private static final String PASSPHRASE = "archive passphrase";

    private Path work;
    private BackupStorage archive;

    @BeforeEach
    void encryptedRound() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "tb-avt");
        archive = Storages.open("file://" + work.resolve("archive"));
        Path binlog = work.resolve("mysql-bin.000001");
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 % 251);
        }
        Files.write(binlog, bytes);
        Instant start = Instant.parse("2026-11-30T10:00:00Z");
        try (ArchiveRoundWriter writer = ArchiveRoundWriter.open(archive, new ObjectMapper(), 1, TENANT, 1,
                PASSPHRASE.toCharArray())) {
            PieceManifest piece = writer.store(Optional.empty(), binlog, PieceManifest.ArchivedFile.describing(
                    "mysql-bin.000001", bytes.length, "0-1-1", "0-1-5", "", "0-1-5", start, start.plusSeconds(5)),
                    Duration.ofHours(1));
            assertTrue(piece.encrypted());
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestTenant.deleteTree(work);
    }

    @Test
    void anEncryptedPieceIsDecodedWithItsPassphraseAndCheckedAsStoredWithout() throws Exception {
        Verdict opened = ArchiveVerifier.verify(archive, TENANT, passwords("a set password", PASSPHRASE), null, 0, 0);
        assertEquals(Verdict.Status.VALID, opened.status(), opened.reason());
        assertFalse(opened.reason().contains("stored bytes only"), opened.reason());

        Verdict stored = ArchiveVerifier.verify(archive, TENANT, passwords("a set password"), null, 0, 0);
        assertEquals(Verdict.Status.VALID, stored.status(), stored.reason());
        assertTrue(stored.reason().contains("1 encrypted file(s) checked on their stored bytes only"), stored.reason());

        VerifyApiTest.flipByte(work.resolve("archive/round_1/piece_1/mysql-bin.000001.zst.enc"));
        for (List<char[]> given : List.of(passwords(PASSPHRASE), passwords())) {
            Verdict flipped = ArchiveVerifier.verify(archive, TENANT, given, null, 0, 0);
            assertEquals(Verdict.Status.INVALID, flipped.status(), flipped.reason());
            assertTrue(flipped.reason().contains("round_1/piece_1/mysql-bin.000001.zst.enc"), flipped.reason());
            assertFalse(flipped.reason().contains(PASSPHRASE), flipped.reason());
        }
    }

    private static List<char[]> passwords(String... given) {
        return List.of(given).stream().map(String::toCharArray).toList();
    }
}
