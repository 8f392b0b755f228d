package io.tenantbackup.backup;

import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.util.Arrays;

/**
 * The key of one backup set, derived from the password held in memory since the request with a fresh Argon2id salt,
 * and what its manifest records of it (the KDF parameters and the key-check value, never the key). An unencrypted set
 * has no key. The derivation runs beside mariabackup's start-up: the first sealed segment waits for it, and so does
 * {@link #encryption()} (the key check), which is therefore asked for after the stream. Closing it wipes the key.
 */
final class BackupSetKey implements AutoCloseable {

    private final MasterKey key;
    private final PasswordKdf kdf;

    private BackupSetKey(MasterKey key, PasswordKdf kdf) {
        this.key = key;
        this.kdf = kdf;
    }

    static BackupSetKey none() {
        return new BackupSetKey(null, null);
    }

    /** Takes the set's password out of {@code passwords} (a gone password fails, saying why) and wipes it. */
    static BackupSetKey fromPassword(TaskContext context, BackupPasswords passwords, TenantInstance tenant,
                                     long backupSetId) {
        char[] password = passwords.take(backupSetId).orElseThrow(() -> new IllegalStateException(
                "The encryption password of backup set " + backupSetId + " of tenant " + tenant.name()
                        + " was kept in memory only and is gone (the service restarted, or the DAG waited longer"
                        + " than " + BackupPasswords.LIFETIME.toHours() + " h, before 'Start backup');"
                        + " start the backup again with its password"));
        PasswordKdf kdf = PasswordKdf.fresh();
        MasterKey key;
        try {
            key = kdf.deriveConcurrently(password);
        } finally {
            Arrays.fill(password, '\0');
        }
        context.log("Backup set " + backupSetId + " of tenant " + tenant.name() + " is encrypted ("
                + SegmentedAesGcm.ALGORITHM + ", key from the password by " + kdf.algorithm() + ")");
        return new BackupSetKey(key, kdf);
    }

    /** The configured codec, encrypting with this key when the set has one. */
    ArtifactCodec codec(ArtifactCodec configured) {
        return key == null ? configured : configured.encryptedWith(key, SegmentedAesGcm.DEFAULT_SEGMENT_SIZE);
    }

    BackupSetManifest.Encryption encryption() {
        return key == null ? BackupSetManifest.Encryption.NONE
                : new BackupSetManifest.Encryption(SegmentedAesGcm.ALGORITHM, kdf, key.keyCheck(),
                        SegmentedAesGcm.DEFAULT_SEGMENT_SIZE);
    }

    @Override
    public void close() {
        if (key != null) {
            key.close();
        }
    }
}
