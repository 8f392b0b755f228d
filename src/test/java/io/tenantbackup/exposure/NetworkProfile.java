package io.tenantbackup.exposure;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The service on every address, as in a pod: allowed because it has a password; plain HTTP on the defaults. */
public class NetworkProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.host", "0.0.0.0",
                "tenant-backup.root-password", "network-Secret-9d1");
    }
}
