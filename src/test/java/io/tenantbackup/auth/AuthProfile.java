package io.tenantbackup.auth;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The service with a root password, its log (access log included) captured in a file the tests scan. */
public class AuthProfile implements QuarkusTestProfile {

    /** Non-ASCII on purpose: both SDKs send it as UTF-8, Python escaped, split across RSA blocks. */
    public static final String PASSWORD = "au-Pässwort-7f3a!";
    static final String LOG_FILE = "target/auth-test.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tenant-backup.root-password", PASSWORD,
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", LOG_FILE,
                "quarkus.log.category.\"io.tenantbackup\".level", "DEBUG",
                "quarkus.http.access-log.enabled", "true");
    }
}
