package io.tenantbackup.lifecycle;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.tenantbackup.api.TenantApiClient.removeLeftovers;

/** {@link ExpiryScenario} on {@code file://} destinations. */
@QuarkusTest
class ExpiryFileApiTest extends ExpiryScenario {

    @Inject
    ServiceConfig config;

    ExpiryFileApiTest() {
        super("exf");
    }

    private Path destinations() {
        return config.dataDir().resolveSibling(config.dataDir().getFileName() + "-exf-dest");
    }

    @Override
    String dataUri() {
        return "file://" + destinations().resolve("data");
    }

    @Override
    String archiveUri() {
        return "file://" + destinations().resolve("archive");
    }

    @Override
    String lagTarget() {
        return "1s";
    }

    @Test
    void expiryKeepsTheWindowsChainAndItRestores() throws Exception {
        for (String name : new String[] {"exf", "exfr"}) {
            removeLeftovers(config.dataDir(), name);
        }
        TestTenant.deleteTree(destinations());
        run();
    }
}
