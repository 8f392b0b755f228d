package io.tenantbackup.storage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The written contract of {@link BackupStorage}, run against every driver: each driver's test extends this class and
 * gives a fresh, empty destination per test.
 */
abstract class BackupStorageContract {

    /** Larger than the S3 driver's part buffer, so that it goes through a multipart upload of several parts. */
    static final int LARGE = 2 * S3Storage.PART_SIZE + 12345;

    /** A new destination no other test uses. */
    abstract BackupStorage destination() throws IOException;

    @Test
    void aFileIsInvisibleUntilCommittedAndGoneWhenClosedWithoutCommit() throws IOException {
        BackupStorage storage = destination();
        try (BackupStorage.AtomicWriter writer = storage.create("set_1/data")) {
            writer.write("hello".getBytes(StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), storage.size("set_1/data"));
            assertEquals(List.of(), storage.list("set_1"));
            writer.commit();
        }
        assertEquals(Optional.of(5L), storage.size("set_1/data"));
        assertEquals("hello", read(storage, "set_1/data"));
        try (BackupStorage.AtomicWriter writer = storage.create("set_1/aborted")) {
            writer.write(1);
        }
        assertEquals(List.of(file("data")), storage.list("set_1"));
        assertThrows(StorageNotFoundException.class, () -> storage.open("set_1/aborted").close());
    }

    @Test
    void aRewriteReplacesTheFileAtOnce() throws IOException {
        BackupStorage storage = destination();
        write(storage, "manifest.json", "first");
        try (BackupStorage.AtomicWriter writer = storage.create("manifest.json")) {
            writer.write("second, longer".getBytes(StandardCharsets.UTF_8));
            assertEquals("first", read(storage, "manifest.json"));
            writer.commit();
        }
        assertEquals("second, longer", read(storage, "manifest.json"));
    }

    @Test
    void emptyAndLargeFilesRoundTrip() throws IOException {
        BackupStorage storage = destination();
        write(storage, "empty", "");
        assertEquals(Optional.of(0L), storage.size("empty"));
        assertEquals("", read(storage, "empty"));

        byte[] expected;
        try (BackupStorage.AtomicWriter writer = storage.create("large")) {
            expected = writeRandom(writer, LARGE);
            writer.commit();
        }
        assertEquals(Optional.of((long) LARGE), storage.size("large"));
        try (InputStream in = storage.open("large")) {
            assertArrayEquals(expected, sha256(in));
        }
    }

    @Test
    void listingShowsOneLevelOfCommittedFilesAndDirectories() throws IOException {
        BackupStorage storage = destination();
        write(storage, "a/x", "1");
        write(storage, "a/b/y", "2");
        write(storage, "ab", "3");
        write(storage, "c/d/e/f", "4");
        assertEquals(List.of(dir("a"), file("ab"), dir("c")), storage.list(""));
        assertEquals(List.of(dir("b"), file("x")), storage.list("a"));
        assertEquals(List.of(file("y")), storage.list("a/b"));
        assertEquals(List.of(dir("d")), storage.list("c"));
        assertEquals(List.of(), storage.list("missing"));
    }

    @Test
    void missingIsNotFoundNotAFailure() throws IOException {
        BackupStorage storage = destination();
        assertEquals(Optional.empty(), storage.size("nothing/here"));
        StorageNotFoundException e = assertThrows(StorageNotFoundException.class, () -> storage.open("nothing/here"));
        assertFalse(e.isTransient());
        assertFalse(e.getMessage().contains("access_key"), e.getMessage());
    }

    @Test
    void deleteRemovesFilesAndTreesAndMayBeRepeated() throws IOException {
        BackupStorage storage = destination();
        write(storage, "set_1/data", "d");
        write(storage, "set_1/sub/more", "m");
        write(storage, "set_10/data", "kept");
        write(storage, "single", "s");
        storage.delete("single");
        storage.delete("single");
        storage.delete("set_1");
        storage.delete("set_1");
        storage.delete("never_existed");
        assertEquals(List.of(dir("set_10")), storage.list(""));
        assertEquals("kept", read(storage, "set_10/data"));
    }

    @Test
    void probeLeavesNothingAndMayBeRepeated() throws IOException {
        BackupStorage storage = destination();
        storage.probe();
        storage.probe();
        assertEquals(List.of(), storage.list(""));
    }

    @Test
    void namesThatLeaveTheRootAreRefused() throws IOException {
        BackupStorage storage = destination();
        for (String name : new String[] {"../x", "/etc/passwd", "a//b", "a/./b", ""}) {
            assertThrows(IllegalArgumentException.class, () -> storage.create(name).close(), name);
        }
    }

    static void write(BackupStorage storage, String name, String text) throws IOException {
        try (BackupStorage.AtomicWriter writer = storage.create(name)) {
            writer.write(text.getBytes(StandardCharsets.UTF_8));
            writer.commit();
        }
    }

    static String read(BackupStorage storage, String name) throws IOException {
        try (InputStream in = storage.open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code size} pseudo-random bytes in uneven chunks; returns their SHA-256. */
    static byte[] writeRandom(OutputStream out, long size) throws IOException {
        MessageDigest digest = sha256();
        Random random = new Random(size);
        byte[] chunk = new byte[70_001];
        long left = size;
        while (left > 0) {
            int length = (int) Math.min(left, 1 + random.nextInt(chunk.length));
            random.nextBytes(chunk);
            out.write(chunk, 0, length);
            digest.update(chunk, 0, length);
            left -= length;
        }
        return digest.digest();
    }

    static byte[] sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(OutputStream.nullOutputStream());
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static BackupStorage.Entry file(String name) {
        return new BackupStorage.Entry(name, false);
    }

    static BackupStorage.Entry dir(String name) {
        return new BackupStorage.Entry(name, true);
    }
}
