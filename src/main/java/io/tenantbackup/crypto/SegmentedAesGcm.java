package io.tenantbackup.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Streaming AEAD with the construction of Tink's AesGcmHkdfStreaming: a header {@code length || salt || nonce
 * prefix}, then segments of {@code segmentSize} ciphertext bytes, each AES-256-GCM under a per-file key (HKDF of the
 * master key, the salt and the file name) with nonce {@code prefix(7) || segment number(4) || last flag(1)}. A
 * flipped bit fails its segment's tag, reordered segments fail their nonce, and a truncated file has no segment
 * flagged last.
 */
public final class SegmentedAesGcm {

    public static final String ALGORITHM = "aes-256-gcm-hkdf-streaming";
    /**
     * 64 KiB: measured on this JDK 17 (AVX-512), AES-GCM ran at 5.5-6.5 GB/s with 64 KiB segments once warm, but
     * stayed at about 105 MB/s with 1 or 4 MiB ones (HotSpot's GCM intrinsic is reached through a method that long
     * calls leave uncompiled). The tag costs 16 bytes per segment (0.02 %). "Once warm" matters: a fresh JVM does not
     * get there within one backup by itself, {@link AesGcmWarmUp} does it.
     */
    public static final int DEFAULT_SEGMENT_SIZE = 1 << 16;
    /** A manifest's segment size is untrusted: each stream allocates two buffers of it. */
    static final int MIN_SEGMENT_SIZE = 1 << 12;
    static final int MAX_SEGMENT_SIZE = 1 << 23;
    static final int TAG_BYTES = 16;
    private static final int SALT_BYTES = 32;
    private static final int NONCE_PREFIX_BYTES = 7;
    private static final int HEADER_BYTES = 1 + SALT_BYTES + NONCE_PREFIX_BYTES;

    private SegmentedAesGcm() {
    }

    /** Refuses a segment size outside {@value #MIN_SEGMENT_SIZE}..{@value #MAX_SEGMENT_SIZE} bytes. */
    public static void requireSegmentSize(int segmentSize) {
        if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
            throw new IllegalArgumentException("Segment size " + segmentSize + " is outside " + MIN_SEGMENT_SIZE
                    + ".." + MAX_SEGMENT_SIZE + " bytes");
        }
    }

    /** Encrypts everything written to it into {@code out}; {@code close()} writes the last segment. */
    public static OutputStream encrypting(OutputStream out, MasterKey key, String fileName, int segmentSize)
            throws IOException {
        requireSegmentSize(segmentSize);
        byte[] salt = random(SALT_BYTES);
        byte[] prefix = random(NONCE_PREFIX_BYTES);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).put((byte) HEADER_BYTES).put(salt).put(prefix);
        out.write(header.array());
        AesGcmWarmUp.start();
        return new Encrypting(out, new Segments(key, salt, prefix, fileName), segmentSize);
    }

    /** Decrypts {@code in}; a tampered, reordered or truncated file fails with an exception naming {@code fileName}. */
    public static InputStream decrypting(InputStream in, MasterKey key, String fileName, int segmentSize)
            throws IOException {
        requireSegmentSize(segmentSize);
        byte[] header = in.readNBytes(HEADER_BYTES);
        if (header.length != HEADER_BYTES || header[0] != HEADER_BYTES) {
            throw new CorruptArtifactException(fileName + " has no valid encryption header");
        }
        byte[] salt = new byte[SALT_BYTES];
        byte[] prefix = new byte[NONCE_PREFIX_BYTES];
        ByteBuffer.wrap(header, 1, HEADER_BYTES - 1).get(salt).get(prefix);
        AesGcmWarmUp.start();
        return new Decrypting(in, new Segments(key, salt, prefix, fileName), segmentSize);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /**
     * One file's key and nonce prefix; runs GCM on one segment at a time. The file's key is derived at the first
     * segment, so a master key still being derived ({@link PasswordKdf#deriveConcurrently}) holds up only the first
     * seal, not the start of the stream.
     */
    private static final class Segments {
        private final MasterKey masterKey;
        private final byte[] salt;
        private SecretKeySpec key;
        private final byte[] prefix;
        private final String fileName;
        private final Cipher cipher;
        private int next;

        Segments(MasterKey masterKey, byte[] salt, byte[] prefix, String fileName) throws IOException {
            this.masterKey = masterKey;
            this.salt = salt;
            this.prefix = prefix;
            this.fileName = fileName;
            try {
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IOException("The JDK has no AES/GCM", e);
            }
        }

        int seal(byte[] plain, int length, boolean last, byte[] out) throws IOException {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key(), nonce(last));
                return cipher.doFinal(plain, 0, length, out, 0);
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot encrypt segment " + (next - 1) + " of " + fileName + ": " + e, e);
            }
        }

        int open(byte[] sealed, int length, boolean last, byte[] out) throws IOException {
            int segment = next;
            try {
                cipher.init(Cipher.DECRYPT_MODE, key(), nonce(last));
                return cipher.doFinal(sealed, 0, length, out, 0);
            } catch (javax.crypto.AEADBadTagException e) {
                throw new CorruptArtifactException(fileName + ": segment " + segment + " failed authentication"
                        + (last ? " (or the file was truncated)" : "") + "; the file is corrupt or was tampered with");
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot decrypt segment " + segment + " of " + fileName + ": " + e, e);
            }
        }

        private SecretKeySpec key() {
            if (key == null) {
                key = masterKey.segmentKey(salt, fileName);
            }
            return key;
        }

        private GCMParameterSpec nonce(boolean last) throws IOException {
            if (next < 0) {
                throw new IOException(fileName + " has more than 2^31 segments");
            }
            ByteBuffer nonce = ByteBuffer.allocate(12).put(prefix).putInt(next++).put((byte) (last ? 1 : 0));
            return new GCMParameterSpec(TAG_BYTES * 8, nonce.array());
        }
    }

    private static final class Encrypting extends OutputStream {
        private final OutputStream out;
        private final Segments segments;
        private final byte[] plain;
        private final byte[] sealed;
        private int filled;
        private boolean closed;

        Encrypting(OutputStream out, Segments segments, int segmentSize) {
            this.out = out;
            this.segments = segments;
            this.plain = new byte[segmentSize - TAG_BYTES];
            this.sealed = new byte[segmentSize];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** A full segment is sealed only when more data follows, so the last one is known at close. */
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (filled == plain.length) {
                    out.write(sealed, 0, segments.seal(plain, filled, false, sealed));
                    filled = 0;
                }
                int chunk = Math.min(length, plain.length - filled);
                System.arraycopy(bytes, offset, plain, filled, chunk);
                filled += chunk;
                offset += chunk;
                length -= chunk;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            out.write(sealed, 0, segments.seal(plain, filled, true, sealed));
            out.close();
        }
    }

    private static final class Decrypting extends InputStream {
        private final InputStream in;
        private final Segments segments;
        private final byte[] sealed;
        private final byte[] plain;
        private int position;
        private int limit;
        private boolean lastSeen;
        private int lookahead = -1;

        Decrypting(InputStream in, Segments segments, int segmentSize) {
            this.in = in;
            this.segments = segments;
            this.sealed = new byte[segmentSize];
            this.plain = new byte[segmentSize - TAG_BYTES];
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position == limit) {
                if (lastSeen) {
                    return -1;
                }
                nextSegment();
            }
            int chunk = Math.min(length, limit - position);
            System.arraycopy(plain, position, bytes, offset, chunk);
            position += chunk;
            return chunk;
        }

        /** Reads one sealed segment; it is the last one when nothing follows it. */
        private void nextSegment() throws IOException {
            int filled = 0;
            if (lookahead >= 0) {
                sealed[filled++] = (byte) lookahead;
            }
            filled += in.readNBytes(sealed, filled, sealed.length - filled);
            lookahead = filled == sealed.length ? in.read() : -1;
            boolean last = lookahead < 0;
            if (filled < TAG_BYTES) {
                throw new CorruptArtifactException(segments.fileName + " is truncated: segment of " + filled + " bytes");
            }
            limit = segments.open(sealed, filled, last, plain);
            position = 0;
            lastSeen = last;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
