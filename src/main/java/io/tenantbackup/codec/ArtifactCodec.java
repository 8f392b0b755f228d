package io.tenantbackup.codec;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.storage.BackupStorage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The transforms between a file's own bytes and its stored bytes: zstd, then (with a key) segmented AES-GCM. An
 * unencrypted compressed file is a plain zstd frame ({@code zstd -dc} reads it); the stored name says what was done.
 */
public final class ArtifactCodec {

    public static final String ZSTD = "zstd";
    public static final String NONE = "none";
    private static final int STREAM_BUFFER = 1 << 17;

    private final String compression;
    private final int level;
    private final int workers;
    private final MasterKey key;
    private final int segmentSize;

    private ArtifactCodec(String compression, int level, int workers, MasterKey key, int segmentSize) {
        this.compression = compression;
        this.level = level;
        this.workers = workers;
        this.key = key;
        this.segmentSize = segmentSize;
    }

    /** Stores bytes as they are. */
    public static ArtifactCodec plain() {
        return new ArtifactCodec(NONE, 0, 0, null, 0);
    }

    public static ArtifactCodec zstd(int level, int workers) {
        return new ArtifactCodec(ZSTD, level, workers, null, 0);
    }

    /** From a service setting ({@code setting} names it in the error): {@code zstd} or {@code none}. */
    public static ArtifactCodec configured(String setting, String compression, int level, int workers) {
        return switch (compression) {
            case ZSTD -> zstd(level, workers);
            case NONE -> plain();
            default -> throw new IllegalArgumentException(setting + " is '" + compression + "'; expected " + ZSTD
                    + " or " + NONE);
        };
    }

    /** A decoder for what a manifest says was done; compression workers do not matter when reading. */
    public static ArtifactCodec of(String compression, MasterKey key, int segmentSize) {
        if (!compression.equals(ZSTD) && !compression.equals(NONE)) {
            throw new IllegalArgumentException("Unknown compression '" + compression + "'");
        }
        return new ArtifactCodec(compression, 0, 0, key, segmentSize);
    }

    /** The same compression, then encryption under {@code setKey}. */
    public ArtifactCodec encryptedWith(MasterKey setKey, int segmentBytes) {
        return new ArtifactCodec(compression, level, workers, setKey, segmentBytes);
    }

    public String compression() {
        return compression;
    }

    public boolean encrypted() {
        return key != null;
    }

    /** {@code data.xbstream} → {@code data.xbstream.zst.enc}. */
    public String storedName(String source) {
        return storedName(source, compression, encrypted());
    }

    public static String storedName(String source, String compression, boolean encrypted) {
        return source + (compression.equals(ZSTD) ? ".zst" : "") + (encrypted ? ".enc" : "");
    }

    /**
     * One file's transforms: what is written to {@link #stream()} reaches the stored side transformed; closing it
     * finishes the file, {@link #discard()} abandons it. With zstd or encryption, everything after zstd (AES-GCM, and
     * whatever the stored side does: SHA-256, the storage write) runs on a thread of its own behind a
     * {@link HandOffOutputStream}, overlapping with the producer and zstd.
     */
    public static final class Encoder {
        private final OutputStream stream;
        private final HandOffOutputStream handOff;

        private Encoder(OutputStream stream, HandOffOutputStream handOff) {
            this.stream = stream;
            this.handOff = handOff;
        }

        public OutputStream stream() {
            return stream;
        }

        /** Stops without finishing the file and releases zstd's native context; the stored side is left as it is. */
        public void discard() {
            if (handOff != null) {
                handOff.abort();
            }
            try {
                stream.close();
            } catch (IOException expected) {
                // the hand-off refuses zstd's last frame: nothing more is to be written
            }
        }
    }

    /** Wraps the stored side of the file {@code storedName} in this codec's transforms. */
    public Encoder encoder(OutputStream stored, String storedName) throws IOException {
        OutputStream out = encrypted() ? SegmentedAesGcm.encrypting(stored, key, storedName, segmentSize) : stored;
        HandOffOutputStream handOff = null;
        if (encrypted() || compression.equals(ZSTD)) {
            handOff = new HandOffOutputStream(out, storedName);
            out = handOff;
        }
        if (compression.equals(ZSTD)) {
            ZstdOutputStream zstd = new ZstdOutputStream(out, level);
            if (workers > 0) {
                zstd.setWorkers(workers);
            }
            out = zstd;
        }
        return new Encoder(out, handOff);
    }

    public InputStream decoder(InputStream stored, String storedName) throws IOException {
        InputStream in = decrypter(stored, storedName);
        return compression.equals(ZSTD) ? new ZstdInputStream(new BufferedInputStream(in, STREAM_BUFFER)) : in;
    }

    private InputStream decrypter(InputStream stored, String storedName) throws IOException {
        return encrypted() ? SegmentedAesGcm.decrypting(stored, key, storedName, segmentSize) : stored;
    }

    /**
     * The original bytes of {@code file} in {@code storage}, decoded while its stored bytes are checked against the
     * manifest's size and SHA-256; any damage fails with a {@link CorruptArtifactException} naming the file.
     */
    public InputStream open(BackupStorage storage, StoredArtifact.StoredFile file) throws IOException {
        VerifyingInputStream stored = VerifyingInputStream.open(storage, file);
        try {
            return new VerifiedDecoding(decoder(stored, file.name()), stored);
        } catch (IOException e) {
            stored.close();
            throw VerifiedDecoding.explain(e, stored);
        }
    }
}
