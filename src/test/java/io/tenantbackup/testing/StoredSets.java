package io.tenantbackup.testing;

import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSetReader;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.storage.Storages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads stored backup sets back through the service's read side, as a restore does. */
public final class StoredSets {

    private StoredSets() {
    }

    public static BackupSetManifest manifest(Path setDir) throws IOException {
        return destinationOf(setDir).read(setDir.getFileName().toString()).manifest();
    }

    /** Writes the set's original xbstream to {@code target}; {@code password} is null for an unencrypted set. */
    public static Path decodeData(Path setDir, String password, Path target) throws IOException {
        try (BackupSetReader reader = open(setDir, password); InputStream in = reader.openData()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Writes one listed file's original bytes to {@code target}. */
    public static Path decode(Path setDir, String password, StoredArtifact.StoredFile file, Path target)
            throws IOException {
        try (BackupSetReader reader = open(setDir, password); InputStream in = reader.open(file)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static BackupSetReader open(Path setDir, String password) throws IOException {
        return destinationOf(setDir).open(setDir.getFileName().toString(),
                password == null ? null : password.toCharArray());
    }

    private static BackupSets destinationOf(Path setDir) {
        return BackupSets.in("file://" + setDir.getParent());
    }

    /** SHA-256 of a stored file, hex, to compare with its manifest entry. */
    public static String sha256(Path file) throws IOException {
        java.security.MessageDigest digest = StoredArtifact.sha256();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }
}
