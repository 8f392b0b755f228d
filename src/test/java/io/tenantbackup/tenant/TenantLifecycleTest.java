package io.tenantbackup.tenant;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.mariadb.MariaDbServer;
import io.tenantbackup.error.ServiceException;
import io.tenantbackup.task.DagDetail;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.task.TaskQueries;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenants on real mariadbd processes: create, supervise, fail and drop. */
@QuarkusTest
class TenantLifecycleTest {

    private static final String ROOT_PASSWORD = "Tr1cky'pass\"word\\;";

    @Inject
    TenantService tenants;
    @Inject
    TenantSupervisor supervisor;
    @Inject
    TenantStore store;
    @Inject
    ServiceConfig config;
    @Inject
    PendingSecrets secrets;
    @Inject
    TaskQueries queries;
    @Inject
    TaskEngine engine;

    /** Drops through the service, so that the supervisor does not restart instances behind the test's back. */
    @AfterAll
    static void dropTestTenants() throws Exception {
        TenantService tenants = Arc.container().instance(TenantService.class).get();
        TaskQueries queries = Arc.container().instance(TaskQueries.class).get();
        for (Tenant tenant : tenants.list()) {
            FinishedDags.assertSucceeded(FinishedDags.await(queries, tenants.delete(tenant.name())));
        }
    }

    /** Instances of an earlier run outlive it (they are detached): stop them and start from an empty data dir. */
    @BeforeAll
    static void removeInstancesOfEarlierRuns() throws Exception {
        Path dataDir = Path.of(System.getenv().getOrDefault("TENANT_BACKUP_TEST_DATA_DIR", "/tmp/tenant-backup-test"));
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try (Stream<Path> homes = Files.list(dataDir)) {
            for (Path home : homes.toList()) {
                new MariaDbServer(new MariaDbLayout(home)).stop(line -> { });
            }
        }
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void createdTenantAnswersWithBinlogGtidRootPasswordAgentAndVariables() throws Exception {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("max_connections", 77);
        variables.put("sql_mode", "STRICT_ALL_TABLES,NO_ZERO_DATE");
        DagEntity submitted = tenants.create(new CreateTenantCommand("t_create", ROOT_PASSWORD, null, "utf8mb4_bin",
                variables, Map.of("zone_list", List.of(Map.of("name", "zone1")), "primary_zone", "zone1"))).dag();
        assertEquals(TenantStatus.CREATING, tenants.get("t_create").status());
        DagDetail dag = FinishedDags.await(queries, submitted);
        FinishedDags.assertSucceeded(dag);
        assertEquals("Create tenant", dag.dag().name);
        assertEquals("t_create", dag.dag().maintenanceKey);
        assertEquals(List.of("Install tenant instance", "Start tenant instance", "Initialize tenant", "Register tenant"),
                dag.nodes().stream().map(node -> node.node().name).toList());
        assertFalse(dag.dag().params.contains(ROOT_PASSWORD), "DAG parameters are persisted and shown");
        assertTrue(FinishedDags.logLines(dag).stream().noneMatch(line -> line.contains(ROOT_PASSWORD)));

        Tenant tenant = tenants.get("t_create");
        assertEquals(TenantStatus.NORMAL, tenant.status());
        assertEquals("utf8mb4", tenant.charset());
        assertEquals(Map.of("zone_list", List.of(Map.of("name", "zone1")), "primary_zone", "zone1"),
                tenant.oceanBaseOptions());
        assertTrue(supervisor.isUp("t_create"));
        try (Connection root = connect(tenant.port(), "root", ROOT_PASSWORD); Statement sql = root.createStatement()) {
            assertEquals("1", single(sql, "SELECT @@log_bin"));
            assertEquals("ROW", single(sql, "SELECT @@binlog_format"));
            assertEquals(String.valueOf(tenant.serverId()), single(sql, "SELECT @@server_id"));
            assertEquals("utf8mb4_bin", single(sql, "SELECT @@collation_server"));
            assertEquals("77", single(sql, "SELECT @@max_connections"));
            assertEquals("STRICT_ALL_TABLES,NO_ZERO_DATE", single(sql, "SELECT @@global.sql_mode"));
            sql.execute("CREATE DATABASE shop");
            assertTrue(single(sql, "SELECT @@gtid_binlog_pos").startsWith("0-" + tenant.serverId() + "-"));
        }
        assertThrows(SQLException.class, () -> connect(tenant.port(), "root", "").close());
        try (Connection agent = tenants.requireNormal("t_create").agent().connect();
             Statement sql = agent.createStatement()) {
            assertEquals("1", single(sql, "SELECT 1"));
        }
        Path agentFile = tenants.requireNormal("t_create").layout().agentOptionFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(agentFile)));
        assertEquals(config.dataDir().resolve("t_create").toAbsolutePath(),
                tenants.requireNormal("t_create").layout().home());
        assertEquals(TenantErrors.EXISTED,
                assertThrows(ServiceException.class, () -> tenants.create(command("t_create"))).code());
    }

    @Test
    void failedCreationIsUndoneSoTheNameCanBeUsedAgainAndDropRemovesEverything() throws Exception {
        DagDetail failed = FinishedDags.await(queries, tenants.create(new CreateTenantCommand("t_retry", null, null,
                null, Map.of("sql_mode", "NO_SUCH_MODE"), Map.of())).dag());
        assertEquals("Initialize tenant", FinishedDags.failedNode(failed).orElseThrow().node().name);
        assertTrue(FinishedDags.logLines(failed).stream()
                .anyMatch(line -> line.contains("Tenant 't_retry': cannot set variable sql_mode")),
                () -> String.join("\n", FinishedDags.logLines(failed)));
        int failedPort = Integer.parseInt(failed.additionalData().get(TenantDags.PORT));
        assertThrows(SQLException.class, () -> connect(failedPort, "root", "").close());
        assertTrue(store.find("t_retry").isEmpty());
        assertFalse(Files.exists(config.dataDir().resolve("t_retry")));

        FinishedDags.assertSucceeded(FinishedDags.await(queries, tenants.create(command("t_retry")).dag()));
        TenantInstance instance = tenants.requireNormal("t_retry");
        long pid = instance.server().pid().orElseThrow();
        assertEquals(tenants.list().size(), tenants.list().stream().map(Tenant::serverId).distinct().count(),
                "server ids are unique");

        DagEntity drop = tenants.delete("t_retry");
        assertEquals("Drop tenant", drop.name);
        assertEquals(TenantErrors.UNDER_MAINTENANCE,
                assertThrows(ServiceException.class, () -> tenants.requireNormal("t_retry")).code());
        FinishedDags.assertSucceeded(FinishedDags.await(queries, drop));
        assertTrue(ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true), "mariadbd stopped");
        assertFalse(Files.exists(instance.layout().home()));
        assertFalse(supervisor.isUp("t_retry"));
        assertEquals(TenantErrors.NOT_EXIST, assertThrows(ServiceException.class, () -> tenants.get("t_retry")).code());
    }

    @Test
    void creationFailsClearlyWhenTheRootPasswordIsNoLongerInMemory() throws Exception {
        DagEntity submitted = tenants.create(new CreateTenantCommand("t_lost", ROOT_PASSWORD, null, null, Map.of(),
                Map.of())).dag();
        secrets.discard("t_lost");
        DagDetail dag = FinishedDags.await(queries, submitted);
        assertEquals("Initialize tenant", FinishedDags.failedNode(dag).orElseThrow().node().name);
        assertTrue(FinishedDags.logLines(dag).stream().anyMatch(line -> line.contains("root password was held in memory only")),
                () -> String.join("\n", FinishedDags.logLines(dag)));
        assertTrue(store.find("t_lost").isEmpty());
        assertFalse(Files.exists(config.dataDir().resolve("t_lost")));
    }

    @Test
    void supervisorAdoptsRunningInstancesAndRestartsDeadOnesWithTheirVariables() throws Exception {
        FinishedDags.assertSucceeded(FinishedDags.await(queries, tenants.create(new CreateTenantCommand("t_sup", null,
                null, null, Map.of("max_connections", 55), Map.of())).dag()));
        TenantInstance instance = tenants.requireNormal("t_sup");
        long pid = instance.server().pid().orElseThrow();

        supervisor.adoptAll();
        supervisor.adoptAll();
        assertEquals(pid, instance.server().pid().orElseThrow());
        assertEquals(1, mariadbdProcessesOf(instance), "one mariadbd for the tenant");

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProcessHandle.of(pid).ifPresent(handle -> handle.onExit().join());
        assertFalse(supervisor.isUp("t_sup"));
        supervisor.check();
        assertTrue(supervisor.isUp("t_sup"));
        assertNotEquals(pid, instance.server().pid().orElseThrow());
        assertEquals(1, mariadbdProcessesOf(instance));
        try (Connection agent = instance.agent().connect(); Statement sql = agent.createStatement()) {
            assertEquals("55", single(sql, "SELECT @@global.max_connections"));
            assertEquals(String.valueOf(instance.port()), single(sql, "SELECT @@port"));
        }
    }

    @Test
    void supervisorLeavesATenantToTheDagThatStoppedIt() throws Exception {
        FinishedDags.assertSucceeded(FinishedDags.await(queries, tenants.create(command("t_held")).dag()));
        HoldTenantTask.release = new CountDownLatch(1);
        DagEntity held = engine.submit(DagTemplate.named("Restore t_held").node("Hold", HoldTenantTask.class)
                .exclusiveFor("t_held").build(), Map.of());
        tenants.stopInstance("t_held", line -> { });
        supervisor.check();
        assertFalse(supervisor.isUp("t_held"), "the DAG owns the stopped instance");

        HoldTenantTask.release.countDown();
        FinishedDags.assertSucceeded(FinishedDags.await(queries, held));
        supervisor.check();
        assertTrue(supervisor.isUp("t_held"));
    }

    private static long mariadbdProcessesOf(TenantInstance instance) {
        String datadir = "--datadir=" + instance.layout().dataDir();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(args -> List.of(args).contains(datadir)).orElse(false))
                .filter(process -> process.info().command().map(command -> command.endsWith("mariadbd")).orElse(false))
                .count();
    }

    private static CreateTenantCommand command(String name) {
        return new CreateTenantCommand(name, null, null, null, Map.of(), Map.of());
    }

    static Connection connect(int port, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("useSSL", "false");
        props.setProperty("allowPublicKeyRetrieval", "true");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", props);
    }

    static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
