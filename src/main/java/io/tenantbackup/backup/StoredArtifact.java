package io.tenantbackup.backup;

import io.tenantbackup.storage.BackupStorage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of a backup set being written through the transform chain:
 * input counter → [compression, encryption: later] → SHA-256 and output counter → atomic storage writer.
 * The checksum covers the stored bytes, so verification needs no key and no decompression.
 * Closing without {@link #commit()} leaves nothing in the storage.
 */
final class StoredArtifact implements AutoCloseable {

    /** A committed file as the manifest lists it. */
    record StoredFile(String name, long size, String sha256) {
    }

    private final String name;
    private final BackupStorage.AtomicWriter writer;
    private final MessageDigest digest;
    private final CountingStream output;
    private final CountingStream input;

    private StoredArtifact(String name, BackupStorage.AtomicWriter writer) {
        this.name = name;
        this.writer = writer;
        this.digest = sha256();
        this.output = new CountingStream(new DigestOutputStream(writer, digest));
        this.input = new CountingStream(output);
    }

    static StoredArtifact create(BackupStorage storage, String name) throws IOException {
        return new StoredArtifact(name, storage.create(name));
    }

    /** Where the producer writes its raw bytes. */
    OutputStream stream() {
        return input;
    }

    long inputBytes() {
        return input.count;
    }

    long outputBytes() {
        return output.count;
    }

    StoredFile commit() throws IOException {
        input.flush();
        writer.commit();
        return new StoredFile(name, output.count, HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        private volatile long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
