package io.tenantbackup.restore;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The service with archive encryption on, its log in a file the test scans for the passphrase. */
public class EncryptedArchiveProfile implements QuarkusTestProfile {

    static final String PASSPHRASE = "ea-archive-Passphrase-3c9e";
    static final String LOG_FILE = "target/encrypted-archive-test.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tenant-backup.archive.passphrase", PASSPHRASE,
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", LOG_FILE,
                "quarkus.log.category.\"io.tenantbackup\".level", "DEBUG");
    }
}
