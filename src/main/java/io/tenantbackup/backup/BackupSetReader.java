package io.tenantbackup.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The read side of a backup set, for restore and verification: reads {@code manifest.json}, derives and checks the
 * set's key (a wrong password fails here, before anything is read or written), then opens each file as its original
 * bytes — stored bytes hashed while read → decrypted (authenticated per segment) → decompressed. A corrupt file fails
 * with a {@link CorruptArtifactException} that names it; the checksum verdict is final only at the end of the file,
 * so a consumer must treat its output as void unless the stream reached its end without an exception.
 */
public final class BackupSetReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** A set with thousands of carried binlog files stays far below this. */
    private static final int MAX_MANIFEST_BYTES = 16 << 20;

    private final BackupStorage setDir;
    private final BackupSetManifest manifest;
    private final MasterKey key;
    private final ArtifactCodec codec;

    private BackupSetReader(BackupStorage setDir, BackupSetManifest manifest, MasterKey key) {
        this.setDir = setDir;
        this.manifest = manifest;
        this.key = key;
        this.codec = ArtifactCodec.of(manifest.compression(), key, manifest.encryption().segmentSize());
    }

    /**
     * Opens the set in {@code setDir}. {@code password} may be null for an unencrypted set; the caller owns the
     * array. Fails with {@link WrongPasswordException} when the set is encrypted and the password is missing or wrong.
     */
    public static BackupSetReader open(BackupStorage setDir, char[] password) throws IOException {
        BackupSetManifest manifest = readManifest(setDir);
        BackupSetManifest.Encryption encryption = manifest.encryption();
        if (!encryption.encrypted()) {
            return new BackupSetReader(setDir, manifest, null);
        }
        String set = "backup set " + manifest.backupSetId() + " of tenant " + manifest.tenantName();
        if (password == null || password.length == 0) {
            throw new WrongPasswordException("The " + set + " is encrypted; its password is needed to read it");
        }
        MasterKey key = encryption.kdf().derive(password);
        if (!key.matches(encryption.keyCheck())) {
            key.close();
            throw new WrongPasswordException("Wrong password for " + set + ": the key check of "
                    + setDir.uri().resolve(BackupSetFiles.MANIFEST) + " does not match");
        }
        return new BackupSetReader(setDir, manifest, key);
    }

    /**
     * The set's manifest; one of another format version, or with a name, parameter or layout this service does not
     * write, is refused with a clear message: the destination is untrusted input.
     */
    public static BackupSetManifest readManifest(BackupStorage setDir) throws IOException {
        JsonNode tree;
        try (InputStream in = setDir.open(BackupSetFiles.MANIFEST)) {
            byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            if (bytes.length > MAX_MANIFEST_BYTES) {
                throw new IOException(setDir.uri().resolve(BackupSetFiles.MANIFEST) + " is larger than "
                        + MAX_MANIFEST_BYTES + " bytes; it is not a manifest this service writes");
            }
            tree = JSON.readTree(bytes);
        }
        int version = tree.path("format_version").asInt();
        if (version != BackupSetManifest.FORMAT_VERSION) {
            throw new IOException(setDir.uri().resolve(BackupSetFiles.MANIFEST) + " has format_version " + version
                    + "; this service reads version " + BackupSetManifest.FORMAT_VERSION);
        }
        BackupSetManifest manifest = JSON.treeToValue(tree, BackupSetManifest.class);
        try {
            manifest.requireWellFormed();
        } catch (IllegalArgumentException e) {
            throw new IOException(setDir.uri().resolve(BackupSetFiles.MANIFEST) + " is not a backup set manifest this"
                    + " service writes: " + e.getMessage());
        }
        return manifest;
    }

    /**
     * Reads one stored file of a set without decoding it and checks its size and SHA-256 against the manifest entry,
     * for a verification without the set's password; a mismatch is a {@link CorruptArtifactException} naming it.
     */
    public static void verifyStored(BackupStorage setDir, StoredArtifact.StoredFile file) throws IOException {
        VerifyingInputStream.verify(setDir, file);
    }

    public BackupSetManifest manifest() {
        return manifest;
    }

    /** The mariabackup stream ({@code xbstream}) of the set. */
    public InputStream openData() throws IOException {
        return open(manifest.file(BackupSetFiles.DATA));
    }

    /** The original bytes of one listed file. */
    public InputStream open(StoredArtifact.StoredFile file) throws IOException {
        VerifyingInputStream stored = VerifyingInputStream.open(setDir, file);
        try {
            return new Decoded(codec.decoder(stored, file.name()), stored);
        } catch (IOException e) {
            stored.close();
            throw Decoded.explain(e, stored);
        }
    }

    @Override
    public void close() {
        if (key != null) {
            key.close();
        }
    }

    /** Decoding errors of a damaged file (zstd's, GCM's) are reported as the checksum mismatch when there is one. */
    private static final class Decoded extends FilterInputStream {
        private final VerifyingInputStream stored;

        Decoded(InputStream decoded, VerifyingInputStream stored) {
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
}
