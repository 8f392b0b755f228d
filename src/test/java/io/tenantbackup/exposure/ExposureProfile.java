package io.tenantbackup.exposure;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The service on defaults but for a tenant limit of one, its log captured in a file the tests scan. */
public class ExposureProfile implements QuarkusTestProfile {

    static final String LOG_FILE = "target/exposure-test.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tenant-backup.max-tenants", "1",
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", LOG_FILE);
    }
}
