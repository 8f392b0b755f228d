package io.tenantbackup.archive;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * {@code tenant-backup.archive.passphrase}: the passphrase the archived binlog is encrypted under (Argon2id → the key
 * that wraps each round's random data key). Unset or empty: the archive is written in clear. It is read from the
 * service's configuration only (an environment variable, e.g. from a Kubernetes Secret) and never stored, logged or
 * answered; a restore needs it among its {@code decryption} passwords, also on another machine.
 */
@ConfigMapping(prefix = "tenant-backup.archive")
public interface ArchiveEncryptionConfig {

    Optional<String> passphrase();

    /** The passphrase as a fresh array the caller clears, or null when the archive is not encrypted. */
    default char[] passphraseChars() {
        return passphrase().filter(text -> !text.isEmpty()).map(String::toCharArray).orElse(null);
    }

    default boolean encrypted() {
        return passphrase().filter(text -> !text.isEmpty()).isPresent();
    }
}
