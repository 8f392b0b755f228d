package io.tenantbackup.ops;

import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.ops.metrics.AuthFailureMetrics;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.tenant.HoldTenantTask;
import io.tenantbackup.tenant.TenantService;
import io.tenantbackup.tenant.TenantSupervisor;
import io.tenantbackup.testing.ManagementInterface;
import io.tenantbackup.testing.TestTenant;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import static io.tenantbackup.api.BackupApiClient.configureBackup;
import static io.tenantbackup.api.BackupApiClient.fullBackup;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health and Prometheus metrics on a real tenant: readiness with the metadata DB and its migrations, a down
 * instance reported without making the service unready, and the backup gauges following real backups.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsTest {

    private static final String TENANT = "op1";
    private static final String TENANT_LABEL = "tenant=\"" + TENANT + "\"";

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    ServiceConfig config;
    @Inject
    TenantService tenants;
    @Inject
    TaskEngine engine;
    @Inject
    AuthFailureMetrics authFailures;
    @Inject
    TenantSupervisor supervisor;

    private boolean ready;

    /** Runs once, before the first test: Quarkus sets rest-assured's port only around test methods. */
    @BeforeEach
    void tenantWithBackupConfig() throws Exception {
        if (ready) {
            return;
        }
        removeLeftovers(config.dataDir(), TENANT);
        Path destination = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-op1dest");
        TestTenant.deleteTree(destination);
        int port = createTenant(TENANT, "op1-root").getInt("connection.port");
        try (Connection connection = connectAsRoot(port, "op1-root"); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(32))");
            sql.execute("INSERT INTO shop.orders VALUES (1, 'one'), (2, 'two')");
        }
        configureBackup(TENANT, destination);
        ready = true;
    }

    @Test
    @Order(1)
    void liveAndReadyWithDatabaseMigrationsAndTenants() {
        ManagementInterface.given(management).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        ManagementInterface.given(management).get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        JsonPath health = ManagementInterface.given(management).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Metadata schema migrations",
                        "Tenant instances"))
                .extract().jsonPath();
        assertEquals("UP", health.getString("checks.find { it.name == 'Metadata schema migrations' }.status"));
        assertEquals(0, health.getInt("checks.find { it.name == 'Metadata schema migrations' }.data.pending"));
        assertEquals(0, health.getInt("checks.find { it.name == 'Tenant instances' }.data.down"));
    }

    @Test
    @Order(2)
    void aCompletedBackupFillsTheBackupGauges() {
        PrometheusScrape fresh = awaitScrape(s -> s.value("tenant_backup_tenant_up", TENANT_LABEL).isPresent());
        assertFalse(fresh.value("tenant_backup_since_last_completion_seconds", TENANT_LABEL).isPresent(),
                "no completed backup yet, so no age");
        fullBackup(TENANT);
        JsonPath overview = api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200)
                .extract().jsonPath();
        long storedBytes = overview.getLong("data.status.output_bytes");
        // the catalog keeps whole seconds, so a backup that ends within its first second lasted 0 s
        double duration = Duration.between(OffsetDateTime.parse(overview.getString("data.status.start_timestamp")),
                OffsetDateTime.parse(overview.getString("data.status.end_timestamp"))).toMillis() / 1000.0;

        PrometheusScrape scrape = awaitScrape(s -> s.value("tenant_backup_since_last_completion_seconds", TENANT_LABEL)
                .isPresent());
        assertTrue(value(scrape, "tenant_backup_since_last_completion_seconds") < 30);
        assertEquals(storedBytes, value(scrape, "tenant_backup_last_size_bytes"));
        assertEquals(duration, value(scrape, "tenant_backup_last_duration_seconds"));
        double end = value(scrape, "tenant_backup_last_completion_timestamp_seconds");
        assertTrue(Math.abs(System.currentTimeMillis() / 1000.0 - end) < 60, () -> "end " + end);
        assertEquals(0, value(scrape, "tenant_backup_failed_dags"));
    }

    @Test
    @Order(3)
    void aDownInstanceIsReportedWhileTheServiceStaysReady() throws Exception {
        HoldTenantTask.release = new CountDownLatch(1);
        DagEntity hold = holdTenant();
        try {
            tenants.stopInstance(TENANT, line -> { });
            ManagementInterface.given(management).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'Tenant instances' }.data.down_tenants", equalTo(TENANT));
            PrometheusScrape scrape = awaitScrape(s -> s.value("tenant_backup_tenant_up", TENANT_LABEL).orElse(-1) == 0);
            assertEquals(1, scrape.value("tenant_backup_dags", TENANT_LABEL, "state=\"RUNNING\"").orElseThrow(),
                    () -> "the holding DAG " + hold.genericId() + " runs");
        } finally {
            HoldTenantTask.release.countDown();
        }
        awaitDag(hold.genericId());
        supervisor.check();
        awaitScrape(s -> s.value("tenant_backup_tenant_up", TENANT_LABEL).orElse(-1) == 1
                && s.value("tenant_backup_dags", TENANT_LABEL, "state=\"RUNNING\"").orElse(-1) == 0);
        ManagementInterface.given(management).get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Tenant instances' }.data.down", equalTo(0));
    }

    @Test
    @Order(4)
    void theNextBackupMovesTheAgeBackNearZero() {
        double before = awaitValue("tenant_backup_since_last_completion_seconds");
        assertTrue(before > 3, () -> "time has passed since the first backup: " + before);
        fullBackup(TENANT);
        PrometheusScrape scrape = awaitScrape(s -> s.value("tenant_backup_since_last_completion_seconds", TENANT_LABEL)
                .orElse(Double.MAX_VALUE) < before);
        assertTrue(value(scrape, "tenant_backup_since_last_completion_seconds") < 15);
    }

    @Test
    @Order(5)
    void authFailuresAreCountedByRouteTemplate() {
        String route = "route=\"/api/v1/tenant/{name}/backup\"";
        double before = PrometheusScrape.now(management).value("tenant_backup_auth_failures_total", route).orElse(0);
        authFailures.record("/api/v1/tenant/{name}/backup");
        assertEquals(before + 1, PrometheusScrape.now(management).value("tenant_backup_auth_failures_total", route).orElseThrow());
    }

    @Test
    @Order(6)
    void aDroppedTenantLeavesTheMetrics() {
        dropTenant(TENANT);
        awaitScrape(s -> s.samples().stream().noneMatch(sample -> sample.contains(TENANT_LABEL)));
    }

    @Transactional
    DagEntity holdTenant() {
        return engine.submit(DagTemplate.named("Hold " + TENANT).node("Hold", HoldTenantTask.class)
                .exclusiveFor(TENANT).build(), Map.of());
    }

    private double awaitValue(String name) {
        return value(awaitScrape(s -> s.value(name, TENANT_LABEL).isPresent()), name);
    }

    private static double value(PrometheusScrape scrape, String name) {
        OptionalDouble value = scrape.value(name, TENANT_LABEL);
        assertTrue(value.isPresent(), () -> name + " of " + TENANT + " missing in " + scrape.samples());
        return value.getAsDouble();
    }

    /** Metrics are refreshed every second in tests; waits for a scrape that shows the expected state. */
    private PrometheusScrape awaitScrape(Predicate<PrometheusScrape> expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        PrometheusScrape scrape = PrometheusScrape.now(management);
        while (!expected.test(scrape)) {
            assertTrue(System.nanoTime() < deadline, () -> "metrics never reached the expected state");
            sleep(250);
            scrape = PrometheusScrape.now(management);
        }
        return scrape;
    }
}
