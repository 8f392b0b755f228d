package io.tenantbackup.codec;

import io.tenantbackup.crypto.CorruptArtifactException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A decoded stream over a {@link VerifyingInputStream}: its end checks the stored bytes, and decoding errors of a
 * damaged file (zstd's, GCM's) are reported as the checksum mismatch when there is one.
 */
final class VerifiedDecoding extends FilterInputStream {

    private final VerifyingInputStream stored;

    VerifiedDecoding(InputStream decoded, VerifyingInputStream stored) {
        super(decoded);
        this.stored = stored;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        try {
            int read = in.read(bytes, offset, length);
            if (read < 0) {
                stored.finish();
            }
            return read;
        } catch (IOException e) {
            throw explain(e, stored);
        }
    }

    static IOException explain(IOException failure, VerifyingInputStream stored) {
        if (failure instanceof CorruptArtifactException) {
            return failure;
        }
        try {
            stored.finish();
        } catch (CorruptArtifactException mismatch) {
            return mismatch;
        } catch (IOException ignored) {
            // the original failure says more
        }
        return new CorruptArtifactException(stored.where() + " cannot be decoded: " + failure.getMessage());
    }
}
