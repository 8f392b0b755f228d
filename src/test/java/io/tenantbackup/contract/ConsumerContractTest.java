package io.tenantbackup.contract;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.BackupApiClient.configureBackup;
import static io.tenantbackup.api.BackupApiClient.fullBackup;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SDK flows written down by the consumer (src/test/resources/pacts) verified against this service. Provider
 * states are real: a tenant created through the API, a real backup, a DAG that really failed.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsumerContractTest {

    private static final PactFile PACT = PactFile.load("/pacts/obshell-sdk-tenant-backup.json");
    private static final String TENANT = "op2";
    /** The tenant post_tenant_restore_sync restores the state's backup into. */
    private static final String RESTORED = "op2r";
    /** The tenant the Go SDK's RestoreSyncWithRequest restores the state's backup into. */
    private static final String GO_RESTORED = "op2g";

    @Inject
    ServiceConfig config;

    private Path destination;
    private boolean tenantReady;
    private String completedBackupDag;

    static List<String> interactions() {
        return PACT.descriptions();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("interactions")
    void providerHonoursTheInteraction(String description) throws Exception {
        PACT.verify(description, state -> providerState(state.get("name").asText(),
                state.path("params").path("tenant").asText(TENANT)));
    }

    /** Teardown as the last test: Quarkus sets rest-assured's port only around test methods. */
    @Test
    @Order(2)
    void dropTheProviderStateTenant() {
        if (tenantReady) {
            dropTenant(TENANT);
        }
        for (String restored : List.of(RESTORED, GO_RESTORED)) {
            if (api().get("/api/v1/tenant/" + restored).statusCode() == 200) {
                dropTenant(restored);
            }
        }
    }

    private Map<String, String> providerState(String name, String tenant) throws Exception {
        assertEquals(TENANT, tenant, "the states know one tenant");
        return switch (name) {
            case "the service is up" -> Map.of();
            case "a tenant with a backup destination" -> {
                tenantWithDestination();
                yield Map.of();
            }
            case "a tenant with a completed backup" -> Map.of("dagId", completedBackup(),
                    "dataBackupUri", "file://" + destination.resolve("data"));
            case "a FAILED backup DAG whose destination is usable again" -> Map.of("dagId", failedBackup());
            default -> throw new IllegalArgumentException("Unknown provider state '" + name + "'");
        };
    }

    private void tenantWithDestination() throws Exception {
        if (tenantReady) {
            return;
        }
        removeLeftovers(config.dataDir(), TENANT);
        removeLeftovers(config.dataDir(), RESTORED);
        removeLeftovers(config.dataDir(), GO_RESTORED);
        destination = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-op2dest");
        TestTenant.deleteTree(destination);
        createTenant(TENANT, "op2-root");
        configureBackup(TENANT, destination);
        tenantReady = true;
    }

    private String completedBackup() throws Exception {
        tenantWithDestination();
        if (completedBackupDag == null) {
            completedBackupDag = fullBackup(TENANT).getString("id");
        }
        return completedBackupDag;
    }

    /** A backup that fails at "Check destination" because a file stands where its directory should be. */
    private String failedBackup() throws Exception {
        tenantWithDestination();
        Path data = destination.resolve("data");
        Path aside = destination.resolve("data-aside");
        Files.move(data, aside);
        Files.writeString(data, "a file where the data directory should be");
        try {
            String dagId = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                    .statusCode(200).extract().path("data.id");
            JsonPath dag = awaitDag(dagId);
            assertEquals("FAILED", dag.getString("state"), dag::prettify);
            return dagId;
        } finally {
            Files.delete(data);
            Files.move(aside, data);
        }
    }
}
