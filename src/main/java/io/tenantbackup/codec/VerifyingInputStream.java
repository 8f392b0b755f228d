package io.tenantbackup.codec;

import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.storage.BackupStorage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The stored bytes of one file, hashed and counted as they are read; reaching the end with another size or SHA-256
 * than the manifest's fails with a {@link CorruptArtifactException} naming the file.
 */
public final class VerifyingInputStream extends FilterInputStream {

    private static final int BUFFER = 1 << 20;

    private final String where;
    private final StoredArtifact.StoredFile expected;
    private final MessageDigest digest = StoredArtifact.sha256();
    private long count;
    private boolean verified;

    private VerifyingInputStream(InputStream in, String where, StoredArtifact.StoredFile expected) {
        super(in);
        this.where = where;
        this.expected = expected;
    }

    public static VerifyingInputStream open(BackupStorage storage, StoredArtifact.StoredFile expected) throws IOException {
        String where = storage.uri().resolve(expected.name()).toString();
        return new VerifyingInputStream(storage.open(expected.name()), where, expected);
    }

    /** Reads the whole file and checks it. */
    public static void verify(BackupStorage storage, StoredArtifact.StoredFile expected) throws IOException {
        try (VerifyingInputStream in = open(storage, expected)) {
            in.finish();
        }
    }

    public String where() {
        return where;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        int read = in.read(bytes, offset, length);
        if (read < 0) {
            check();
        } else {
            digest.update(bytes, offset, read);
            count += read;
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("Skipping would bypass the checksum of " + where);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left and checks size and checksum. */
    public void finish() throws IOException {
        byte[] buffer = new byte[BUFFER];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashing happens in read
        }
    }

    private void check() throws IOException {
        if (verified) {
            return;
        }
        verified = true;
        if (count != expected.size()) {
            throw new CorruptArtifactException(where + " is " + count + " bytes, expected " + expected.size());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected.sha256())) {
            throw new CorruptArtifactException(where + " has sha256 " + actual + ", expected " + expected.sha256());
        }
    }
}
