package io.tenantbackup.codec;

import io.tenantbackup.crypto.CorruptArtifactException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * A decoded stream over the stored bytes of a {@link VerifyingInputStream} (read directly or through a
 * {@link ReadAhead}): its end reads the stored bytes to their end, which checks them, and decoding errors of a damaged
 * file (zstd's, GCM's) are reported as the checksum mismatch when there is one.
 */
final class VerifiedDecoding extends FilterInputStream {

    private final InputStream stored;
    private final String where;

    VerifiedDecoding(InputStream decoded, VerifyingInputStream stored) {
        this(decoded, stored, stored.where());
    }

    /** {@code stored} is what the decoder reads: the verifying stream's bytes, failing as it fails. */
    VerifiedDecoding(InputStream decoded, InputStream stored, String where) {
        super(decoded);
        this.stored = stored;
        this.where = where;
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
                stored.transferTo(OutputStream.nullOutputStream());
            }
            return read;
        } catch (IOException e) {
            throw explain(e, stored, where);
        }
    }

    static IOException explain(IOException failure, VerifyingInputStream stored) {
        return explain(failure, stored, stored.where());
    }

    /** The checksum mismatch of the stored bytes when there is one, else {@code failure} as a decoding failure. */
    static IOException explain(IOException failure, InputStream stored, String where) {
        if (failure instanceof CorruptArtifactException || failure instanceof InterruptedIOException) {
            return failure;
        }
        try {
            stored.transferTo(OutputStream.nullOutputStream());
        } catch (CorruptArtifactException mismatch) {
            return mismatch;
        } catch (IOException ignored) {
            // the original failure says more
        }
        return new CorruptArtifactException(where + " cannot be decoded: " + failure.getMessage());
    }
}
