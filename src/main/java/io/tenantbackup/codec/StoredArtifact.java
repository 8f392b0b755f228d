package io.tenantbackup.codec;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.KeepOpenOutputStream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of a backup set or of an archive piece being written through the transform chain:
 * input counter → {@link ArtifactCodec} (zstd → hand-off to a second thread → segmented AES-GCM) → SHA-256 and output
 * counter → atomic storage writer. The checksum covers the stored bytes as they were written, so verification needs
 * no key and no decompression. Closing without {@link #commit()} leaves nothing in the storage.
 */
public final class StoredArtifact implements AutoCloseable {

    /** A committed file as the manifest lists it: stored name, size and SHA-256, and the file it holds. */
    public record StoredFile(@JsonProperty("name") String name, @JsonProperty("size") long size,
                             @JsonProperty("sha256") String sha256, @JsonProperty("source") String source,
                             @JsonProperty("source_size") long sourceSize) {
    }

    private final String name;
    private final String source;
    private final BackupStorage.AtomicWriter writer;
    private final MessageDigest digest;
    private final CountingStream output;
    private final ArtifactCodec.Encoder encoder;
    private final CountingStream input;
    private boolean finished;

    private StoredArtifact(String source, String name, BackupStorage.AtomicWriter writer, ArtifactCodec codec)
            throws IOException {
        this.source = source;
        this.name = name;
        this.writer = writer;
        this.digest = sha256();
        this.output = new CountingStream(new DigestOutputStream(writer, digest));
        this.encoder = codec.encoder(new KeepOpenOutputStream(output), name);
        this.input = new CountingStream(encoder.stream());
    }

    /** A file stored as it is written. */
    public static StoredArtifact create(BackupStorage storage, String name) throws IOException {
        return create(storage, name, ArtifactCodec.plain());
    }

    /** A file stored through {@code codec} under {@link ArtifactCodec#storedName(String) its stored name}. */
    public static StoredArtifact create(BackupStorage storage, String source, ArtifactCodec codec) throws IOException {
        String name = codec.storedName(source);
        BackupStorage.AtomicWriter writer = storage.create(name);
        try {
            return new StoredArtifact(source, name, writer, codec);
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /** Where the producer writes its raw bytes. */
    public OutputStream stream() {
        return input;
    }

    public long inputBytes() {
        return input.count;
    }

    public long outputBytes() {
        return output.count;
    }

    /** Ends the transforms, makes the file durable and visible, and returns its manifest entry. */
    public StoredFile commit() throws IOException {
        finished = true;
        encoder.stream().close();
        writer.commit();
        return new StoredFile(name, output.count, HexFormat.of().formatHex(digest.digest()), source, input.count);
    }

    @Override
    public void close() throws IOException {
        try {
            if (!finished) {
                encoder.discard();
            }
        } finally {
            writer.close();
        }
    }

    public static MessageDigest sha256() {
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
