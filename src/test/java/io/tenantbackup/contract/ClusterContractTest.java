package io.tenantbackup.contract;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.BackupApiClient.awaitClusterTenantRunning;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Python and Go SDKs' requests of the obcluster backup routes (src/test/resources/pacts/obshell-sdk-cluster-backup.json)
 * verified against this service with real provider states: a real tenant, a real cluster config, a real cluster backup
 * completed or running.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterContractTest {

    private static final PactFile PACT = PactFile.load("/pacts/obshell-sdk-cluster-backup.json");
    private static final String TENANT = "oc1";

    @Inject
    ServiceConfig config;

    private Path base;
    private boolean configured;
    private boolean backedUp;

    static List<String> interactions() {
        return PACT.descriptions();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("interactions")
    void providerHonoursTheInteraction(String description) throws Exception {
        PACT.verify(description, state -> providerState(state.get("name").asText()));
    }

    /** Teardown as the last test: Quarkus sets rest-assured's port only around test methods. */
    @Test
    @Order(2)
    void dropTheProviderStateTenant() {
        if (base != null) {
            dropTenant(TENANT);
        }
    }

    private Map<String, String> providerState(String name) throws Exception {
        switch (name) {
            case "a cluster of tenants" -> tenant();
            case "a cluster with backup destinations" -> configured();
            case "a cluster with a completed backup" -> completedBackup();
            case "a cluster backup is running" -> runningBackup();
            default -> throw new IllegalArgumentException("Unknown provider state '" + name + "'");
        }
        return Map.of("backupBaseUri", "file://" + base);
    }

    private void tenant() throws Exception {
        if (base != null) {
            return;
        }
        removeLeftovers(config.dataDir(), TENANT);
        Path destination = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-occ");
        TestTenant.deleteTree(destination);
        createTenant(TENANT, "oc1-root");
        base = destination;
    }

    private void configured() throws Exception {
        tenant();
        if (!configured) {
            String dagId = api().body(Map.of("backup_base_uri", "file://" + base))
                    .post("/api/v1/obcluster/backup/config").then().statusCode(200).extract().path("data.id");
            assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
            configured = true;
        }
    }

    private void completedBackup() throws Exception {
        configured();
        if (!backedUp) {
            assertEquals("SUCCEED", awaitDag(startClusterBackup()).getString("state"));
            backedUp = true;
        }
    }

    /** A fresh cluster backup that has started its tenant's backup. */
    private void runningBackup() throws Exception {
        configured();
        awaitClusterTenantRunning(startClusterBackup());
    }

    private String startClusterBackup() {
        return api().body("{\"mode\":\"full\"}").post("/api/v1/obcluster/backup").then().statusCode(200)
                .extract().path("data.id");
    }
}
