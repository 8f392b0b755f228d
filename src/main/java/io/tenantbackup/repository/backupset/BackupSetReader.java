package io.tenantbackup.repository.backupset;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.PipelinedDecoding;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.codec.VerifyingInputStream;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;

/**
 * The read side of one backup set, for restore and verification: reads {@code manifest.json}, derives and checks the
 * set's key (a wrong password fails here, before anything is read or written), then opens each file as its original
 * bytes — stored bytes hashed while read → decrypted (authenticated per segment) → decompressed. A corrupt file fails
 * with a {@link CorruptArtifactException} that names it; the checksum verdict is final only at the end of the file,
 * so a consumer must treat its output as void unless the stream reached its end without an exception.
 */
public final class BackupSetReader implements AutoCloseable {

    private final BackupStorage setDir;
    private final BackupSetManifest manifest;
    private final MasterKey key;
    private final boolean ownsKey;
    private final ArtifactCodec codec;

    private BackupSetReader(BackupStorage setDir, BackupSetManifest manifest, MasterKey key, boolean ownsKey) {
        this.setDir = setDir;
        this.manifest = manifest;
        this.key = key;
        this.ownsKey = ownsKey;
        this.codec = ArtifactCodec.of(manifest.compression(), key, manifest.encryption().segmentSize());
    }

    /**
     * Opens the set in {@code setDir}. {@code password} may be null for an unencrypted set; the caller owns the
     * array. Fails with {@link WrongPasswordException} when the set is encrypted and the password is missing or wrong.
     */
    static BackupSetReader open(BackupStorage setDir, char[] password) throws IOException {
        BackupSetManifest manifest = ManifestFile.read(setDir);
        return new BackupSetReader(setDir, manifest, key(setDir, manifest, password), true);
    }

    /**
     * Opens the set in {@code setDir}, whose manifest was just read, with its key, derived before by {@link #key}; the
     * caller keeps owning the key. Fails with {@link WrongPasswordException} when the set is encrypted and the key is
     * missing or not its key.
     */
    static BackupSetReader openWith(BackupStorage setDir, BackupSetManifest manifest, MasterKey key)
            throws WrongPasswordException {
        if (!manifest.encryption().encrypted()) {
            return new BackupSetReader(setDir, manifest, null, false);
        }
        if (key == null || !key.matches(manifest.encryption().keyCheck())) {
            throw new WrongPasswordException("The " + describe(manifest) + " is encrypted under another key than"
                    + " the one given");
        }
        return new BackupSetReader(setDir, manifest, key, false);
    }

    /**
     * The key of the set {@code manifest} describes, derived from {@code password} (Argon2id: the costly part of
     * opening a set) and checked; null for an unencrypted set. The caller owns the key.
     */
    static MasterKey key(BackupStorage setDir, BackupSetManifest manifest, char[] password)
            throws WrongPasswordException {
        BackupSetManifest.Encryption encryption = manifest.encryption();
        if (!encryption.encrypted()) {
            return null;
        }
        if (password == null || password.length == 0) {
            throw new WrongPasswordException("The " + describe(manifest) + " is encrypted; its password is needed to"
                    + " read it");
        }
        MasterKey key = encryption.kdf().derive(password);
        if (!key.matches(encryption.keyCheck())) {
            key.close();
            throw new WrongPasswordException("Wrong password for " + describe(manifest) + ": the key check of "
                    + setDir.uri().resolve(SetLayout.MANIFEST) + " does not match");
        }
        return key;
    }

    private static String describe(BackupSetManifest manifest) {
        return "backup set " + manifest.backupSetId() + " of tenant " + manifest.tenantName();
    }

    public BackupSetManifest manifest() {
        return manifest;
    }

    /**
     * The mariabackup stream ({@code xbstream}) of the set, read and hashed, decoded and handed over on three threads
     * (the set's largest file, extracted by the restore).
     */
    public InputStream openData() throws IOException {
        return PipelinedDecoding.open(codec, setDir, manifest.dataFile());
    }

    /** The original bytes of one listed file. */
    public InputStream open(StoredArtifact.StoredFile file) throws IOException {
        return codec.open(setDir, file);
    }

    @Override
    public void close() {
        if (key != null && ownsKey) {
            key.close();
        }
    }
}
