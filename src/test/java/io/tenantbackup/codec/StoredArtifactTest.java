package io.tenantbackup.codec;

import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.StorageException;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.ForwardingStorage;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write side of a stored file on real files: zstd on the producer's thread, AES-GCM, SHA-256 and the storage write
 * on a second one, the key derived while the first bytes are written; what is stored reads back as written, and a
 * failed or abandoned write leaves nothing and stops its thread.
 */
class StoredArtifactTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private Path root;
    private BackupStorage storage;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("tb-artifact");
        storage = Storages.open("file://" + root);
    }

    @AfterEach
    void tearDown() throws IOException {
        TestTenant.deleteTree(root);
    }

    @Test
    void anEncryptedFileWrittenWhileItsKeyIsStillDerivedReadsBackAsWrittenUnderThePasswordsKey() throws IOException {
        PasswordKdf kdf = PasswordKdf.fresh();
        byte[] original = tableLikeBytes(12 << 20);
        StoredArtifact.StoredFile stored;
        try (MasterKey pending = kdf.deriveConcurrently(PASSWORD)) {
            try (StoredArtifact artifact = StoredArtifact.create(storage, "data.xbstream",
                    ArtifactCodec.zstd(1, 0).encryptedWith(pending, SegmentedAesGcm.DEFAULT_SEGMENT_SIZE))) {
                writeInPieces(artifact.stream(), original);
                stored = artifact.commit();
            }
            try (MasterKey derived = kdf.derive(PASSWORD)) {
                assertEquals(derived.keyCheck(), pending.keyCheck());
            }
        }

        byte[] storedBytes = Files.readAllBytes(root.resolve("data.xbstream.zst.enc"));
        assertEquals(new StoredArtifact.StoredFile("data.xbstream.zst.enc", storedBytes.length, sha256(storedBytes),
                "data.xbstream", original.length), stored);
        try (MasterKey key = kdf.derive(PASSWORD);
             InputStream in = ArtifactCodec.of(ArtifactCodec.ZSTD, key, SegmentedAesGcm.DEFAULT_SEGMENT_SIZE)
                     .open(storage, stored)) {
            assertArrayEquals(original, in.readAllBytes());
        }
    }

    @Test
    void aStorageWriteFailingOnTheSecondThreadFailsTheProducersWriteAsItWasAndLeavesNothing() throws IOException {
        BackupStorage full = new DiskFullAfter(storage, 1 << 20);
        byte[] random = new byte[8 << 20];
        new Random(7).nextBytes(random);
        IOException failure;
        try (StoredArtifact artifact = StoredArtifact.create(full, "data.xbstream", ArtifactCodec.zstd(1, 0))) {
            failure = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 64; i++) {
                    writeInPieces(artifact.stream(), random);
                }
                artifact.commit();
            });
        }
        assertTrue(failure instanceof StorageException, failure::toString);
        assertTrue(failure.getMessage().contains("data.xbstream.zst: No space left on device"), failure::getMessage);
        assertEquals(List.of(), storage.list(""));
        assertFalse(storeThreadAlive("data.xbstream.zst"), "the writing thread must end with the file");
    }

    @Test
    void closingWithoutCommitLeavesNoFileAndStopsTheWritingThread() throws IOException {
        try (StoredArtifact artifact = StoredArtifact.create(storage, "data.xbstream",
                ArtifactCodec.zstd(1, 0).encryptedWith(PasswordKdf.fresh().deriveConcurrently(PASSWORD),
                        SegmentedAesGcm.DEFAULT_SEGMENT_SIZE))) {
            writeInPieces(artifact.stream(), tableLikeBytes(4 << 20));
        }
        assertEquals(List.of(), storage.list(""));
        assertFalse(storeThreadAlive("data.xbstream.zst.enc"), "the writing thread must end with the file");
    }

    /** Rows of a table: compressible about as mariabackup's stream of the bench tenant is. */
    private static byte[] tableLikeBytes(int length) {
        byte[] bytes = new byte[length];
        Random random = new Random(42);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i % 250 < 40 ? random.nextInt(256) : 'a' + (i / 250) % 26);
        }
        return bytes;
    }

    /** As mariabackup's reader does: buffers of up to 1 MiB. */
    private static void writeInPieces(OutputStream out, byte[] bytes) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += 1 << 20) {
            out.write(bytes, offset, Math.min(1 << 20, bytes.length - offset));
        }
    }

    private static String sha256(byte[] bytes) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private static boolean storeThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("store " + name) && thread.isAlive());
    }

    /** Fault injector: a real file storage whose writes fail, as on a full disk, once a file holds {@code limit} bytes. */
    private static final class DiskFullAfter extends ForwardingStorage {
        private final long limit;

        DiskFullAfter(BackupStorage storage, long limit) {
            super(storage);
            this.limit = limit;
        }

        @Override
        public AtomicWriter create(String name) throws IOException {
            AtomicWriter writer = storage.create(name);
            return new AtomicWriter() {
                private long written;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    if (written + length > limit) {
                        throw new StorageException("Cannot write " + storage.uri() + "/" + name
                                + ": No space left on device", false, null);
                    }
                    writer.write(bytes, offset, length);
                    written += length;
                }

                @Override
                public void commit() throws IOException {
                    writer.commit();
                }

                @Override
                public void close() throws IOException {
                    writer.close();
                }
            };
        }
    }
}
