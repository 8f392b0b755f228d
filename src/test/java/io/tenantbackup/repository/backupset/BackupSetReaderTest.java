package io.tenantbackup.repository.backupset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.StorageNotFoundException;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write side (BackupSetWriter through the codec) and the read side (BackupSetReader) on real files: round trips,
 * and every kind of damage — wrong password, flipped byte, truncation, reordered segments — is caught with the file
 * named. Small segments so that a few hundred KB span many of them.
 */
class BackupSetReaderTest {

    private static final int SEGMENT = 4096;
    private static final String PASSWORD = "correct horse";

    private static final String SET = "backup_set_9_full";

    private final ObjectMapper json = new ObjectMapper();
    private Path root;
    private Path dir;
    private BackupSets sets;
    private byte[] content;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("tb-pipe");
        dir = root.resolve(SET);
        sets = BackupSets.in(Storages.open("file://" + root));
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int row = 0; row < 20_000; row++) {
            text.append("row ").append(row).append(" value ").append(random.nextInt(1000)).append('\n');
        }
        content = text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @AfterEach
    void tearDown() throws IOException {
        TestTenant.deleteTree(root);
    }

    @Test
    void compressedAndEncryptedRoundTripHidesThePlaintext() throws IOException {
        StoredArtifact.StoredFile file = writeSet(true);
        assertEquals("data.xbstream.zst.enc", file.name());
        assertTrue(file.size() < content.length / 2, "compressed: " + file.size() + " of " + content.length);
        byte[] stored = Files.readAllBytes(dir.resolve(file.name()));
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("row 1234 value"));
        try (BackupSetReader reader = sets.open(SET, PASSWORD.toCharArray());
             InputStream in = reader.openData()) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void compressedOnlyIsAPlainZstdFrame() throws IOException {
        StoredArtifact.StoredFile file = writeSet(false);
        assertEquals("data.xbstream.zst", file.name());
        try (BackupSetReader reader = sets.open(SET, null); InputStream in = reader.openData()) {
            assertArrayEquals(content, in.readAllBytes());
        }
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(dir.resolve(file.name())))) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void wrongOrMissingPasswordFailsBeforeAnyFileIsRead() throws IOException {
        writeSet(true);
        WrongPasswordException wrong = assertThrows(WrongPasswordException.class,
                () -> sets.open(SET, "incorrect horse".toCharArray()));
        assertTrue(wrong.getMessage().contains("Wrong password for backup set 9 of tenant pp0"), wrong.getMessage());
        assertThrows(WrongPasswordException.class, () -> sets.open(SET, null));
    }

    @Test
    void flippedByteIsDetectedAndNamesTheFile() throws IOException {
        for (boolean encrypted : new boolean[] {true, false}) {
            StoredArtifact.StoredFile file = writeSet(encrypted);
            flip(dir.resolve(file.name()), file.size() / 2);
            CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> readAll(encrypted));
            assertTrue(e.getMessage().contains(file.name()), e.getMessage());
        }
    }

    @Test
    void closingTheDataStreamHalfReadStopsItsReadAheadThreads() throws Exception {
        content = new byte[24 << 20];
        new Random(11).nextBytes(content);
        StoredArtifact.StoredFile file = writeSet(true);
        try (BackupSetReader reader = sets.open(SET, PASSWORD.toCharArray());
             InputStream in = reader.openData()) {
            byte[] start = in.readNBytes(1000);
            assertArrayEquals(Arrays.copyOf(content, 1000), start);
            assertFalse(pipelineThreads(file).isEmpty(), "the set is read ahead on threads of its own");
        }
        assertEquals(List.of(), pipelineThreads(file), "closing the stream (a cancel) stops its threads");
    }

    private static List<String> pipelineThreads(StoredArtifact.StoredFile file) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.endsWith(SET + "/" + file.name())).toList();
    }

    @Test
    void verifyChecksEveryStoredFileWithoutThePassword() throws IOException {
        StoredArtifact.StoredFile file = writeSet(true);
        assertEquals(9, sets.verify(SET).id());
        flip(dir.resolve(file.name()), file.size() - 1);
        CorruptArtifactException corrupt = assertThrows(CorruptArtifactException.class, () -> sets.verify(SET));
        assertTrue(corrupt.getMessage().contains(SET + "/" + file.name() + " has sha256"), corrupt.getMessage());
        Files.delete(dir.resolve(file.name()));
        IOException missing = assertThrows(StorageNotFoundException.class, () -> sets.verify(SET));
        assertTrue(missing.getMessage().contains(file.name()), missing.getMessage());
    }

    @Test
    void truncationAndReorderedSegmentsAreDetected() throws IOException {
        StoredArtifact.StoredFile file = writeSet(true);
        Path stored = dir.resolve(file.name());
        byte[] whole = Files.readAllBytes(stored);
        int header = whole.length - (int) ((whole.length - 40) / SEGMENT) * SEGMENT - lastSegment(whole.length);
        assertEquals(40, header);

        byte[] truncated = Arrays.copyOf(whole, 40 + 2 * SEGMENT);
        assertThrows(CorruptArtifactException.class, () -> decryptOnly(truncated, file.name()));

        byte[] swapped = whole.clone();
        System.arraycopy(whole, 40, swapped, 40 + SEGMENT, SEGMENT);
        System.arraycopy(whole, 40 + SEGMENT, swapped, 40, SEGMENT);
        CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
                () -> decryptOnly(swapped, file.name()));
        assertTrue(e.getMessage().contains("segment 0 failed authentication"), e.getMessage());
    }

    private static int lastSegment(int length) {
        int rest = (length - 40) % SEGMENT;
        return rest == 0 ? SEGMENT : rest;
    }

    /** Decrypts a damaged copy without the checksum layer, to see the AEAD itself catch it. */
    private void decryptOnly(byte[] stored, String name) throws IOException {
        PasswordKdf kdf = json.readValue(root.resolve("kdf.json").toFile(), PasswordKdf.class);
        try (MasterKey key = kdf.derive(PASSWORD.toCharArray());
             InputStream in = SegmentedAesGcm.decrypting(new java.io.ByteArrayInputStream(stored), key, name, SEGMENT)) {
            in.readAllBytes();
        }
    }

    private void readAll(boolean encrypted) throws IOException {
        try (BackupSetReader reader = sets.open(SET, encrypted ? PASSWORD.toCharArray() : null);
             InputStream in = reader.openData()) {
            in.readAllBytes();
        }
    }

    private StoredArtifact.StoredFile writeSet(boolean encrypted) throws IOException {
        PasswordKdf kdf = new PasswordKdf(PasswordKdf.ARGON2ID, 0x13, 1024, 1, 1, "c2FsdHNhbHRzYWx0c2FsdA==");
        try (MasterKey key = kdf.derive(PASSWORD.toCharArray())) {
            ArtifactCodec codec = ArtifactCodec.zstd(1, 2);
            if (encrypted) {
                codec = codec.encryptedWith(key, SEGMENT);
            }
            BackupSetWriter writer = sets.create(SET);
            StoredArtifact.StoredFile file;
            try (StoredArtifact artifact = writer.createData(codec)) {
                artifact.stream().write(content);
                file = artifact.commit();
            }
            BackupSetManifest.Encryption encryption = encrypted
                    ? new BackupSetManifest.Encryption(SegmentedAesGcm.ALGORITHM, kdf, key.keyCheck(), SEGMENT)
                    : BackupSetManifest.Encryption.NONE;
            BackupSetManifest manifest = new BackupSetManifest(BackupSetManifest.FORMAT_VERSION, 9, 1, "pp0", "FULL",
                    "2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z", 0, 1, 1, null, null, null, null, 9, false, null, null, codec.compression(), encryption,
                    List.of(file));
            writer.commit(manifest);
            json.writeValue(root.resolve("kdf.json").toFile(), kdf);
            return file;
        }
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x01);
        }
    }
}
