package io.tenantbackup.lifecycle;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.storage.S3Profile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.tenantbackup.api.TenantApiClient.removeLeftovers;

/** {@link ExpiryScenario} on an S3 server (s3proxy, path-style). */
@QuarkusTest
@TestProfile(S3Profile.class)
class ExpiryS3ApiTest extends ExpiryScenario {

    private static final String BUCKET = "tbt-expiry";

    @Inject
    ServiceConfig config;

    ExpiryS3ApiTest() {
        super("exs");
    }

    @Override
    String dataUri() {
        return S3Profile.main().pathStyleUri(BUCKET, "exs/data");
    }

    @Override
    String archiveUri() {
        return S3Profile.main().pathStyleUri(BUCKET, "exs/archive");
    }

    @Override
    String lagTarget() {
        return "1m";
    }

    @Test
    void expiryKeepsTheWindowsChainAndItRestores() throws Exception {
        for (String name : new String[] {"exs", "exsr"}) {
            removeLeftovers(config.dataDir(), name);
        }
        S3Profile.main().createBucket(BUCKET);
        run();
    }
}
