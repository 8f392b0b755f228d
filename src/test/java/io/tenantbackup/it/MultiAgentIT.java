package io.tenantbackup.it;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged services (agents A and B) on one metadata DB, each with its own port and data directory, as two hosts
 * would run them. A tenant of A is backed up through requests to B; A is killed with SIGKILL during its own backup,
 * while B backs up its own archiving tenant, and B must leave A's DAG alone until the agent timeout, then fail it
 * naming A, while its own backup succeeds and its archive goes on; A comes back, cleans up and works again; B restarted
 * during A's backup does not disturb it; A frozen with SIGSTOP past its archive lease stops archiving when woken and
 * nothing is archived twice; the newest set, taken through B, restored through B onto B equals the source; a third
 * agent C follows a DAG of A it received and hosts nothing. An instance with A's identity, and one on A's data
 * directory, are refused at start.
 */
class MultiAgentIT {

    private static final String TENANT = "agt1";
    private static final String RESTORED = "agt1r";
    private static final String TENANT_OF_B = "agt2";
    private static final String ROOT_PASSWORD = "agents-pw";
    private static final Path DATA_DIR = Path.of("/tmp/tbt-agents-it");
    private static final String DB = "tenant_backup_it_agents";
    private static final int TIMEOUT_SECONDS = 12;
    private static final int LEASE_SECONDS = 6;

    private static ServiceProcess a;
    private static ServiceProcess b;
    private static ServiceProcess c;
    private static int portA;
    private static int portB;

    @BeforeAll
    static void startTwoAgents() throws Exception {
        TenantApiClient.removeLeftovers(DATA_DIR.resolve("a"), TENANT);
        TenantApiClient.removeLeftovers(DATA_DIR.resolve("b"), RESTORED);
        TenantApiClient.removeLeftovers(DATA_DIR.resolve("b"), TENANT_OF_B);
        TestTenant.deleteTree(DATA_DIR);
        ServiceProcess.recreateDatabase(DB);
        portA = TestTenant.freePort();
        a = agent("a", portA);
        a.start();
        portB = TestTenant.freePort();
        b = agent("b", portB);
        b.start();
    }

    @AfterAll
    static void stopAgents() throws Exception {
        try {
            if (a != null && b != null) {
                on(b);
                TenantApiClient.dropTenant(TENANT);
                for (String tenantOfB : List.of(RESTORED, TENANT_OF_B)) {
                    if (api().get("/api/v1/tenant/" + tenantOfB).statusCode() == 200) {
                        TenantApiClient.dropTenant(tenantOfB);
                    }
                }
            }
        } finally {
            for (ServiceProcess service : new ServiceProcess[] {a, b, c}) {
                if (service != null) {
                    service.close();
                }
            }
            RestAssured.reset();
            TenantApiClient.removeLeftovers(DATA_DIR.resolve("a"), TENANT); // when the test stopped with A dead
            TenantApiClient.removeLeftovers(DATA_DIR.resolve("b"), RESTORED);
            TenantApiClient.removeLeftovers(DATA_DIR.resolve("b"), TENANT_OF_B);
        }
    }

    @Test
    void aTenantOfAgentAIsServedThroughBAndAGoneAgentsDagIsFailedOnlyAfterTheTimeout() throws Exception {
        String identityA = "127.0.0.1:" + portA;
        refusedAtStart(agent("dup", portA).with("QUARKUS_HTTP_HOST", "127.0.0.2"),
                "agent identity " + identityA + " is held by a live instance");
        refusedAtStart(new ServiceProcess(DATA_DIR.resolve("a"), TestTenant.freePort(), jdbcUrl(),
                DATA_DIR.resolve("same-dir.log")), "is used by a live instance (agent " + identityA);

        on(a);
        int tenantPort = createTenant(TENANT, ROOT_PASSWORD).getInt("connection.port");
        on(b);
        api().get("/api/v1/agents").then().statusCode(200).body("data.contents.size()", org.hamcrest.Matchers.is(2));
        Path dest = DATA_DIR.resolve("dest");
        String configDag = api().body(Map.of("data_base_uri", "file://" + dest.resolve("data"),
                        "archive_base_uri", "file://" + dest.resolve("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertRanOnA(awaitDag(configDag));

        String backupDag = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
        JsonPath followedFromB = awaitDag(backupDag);
        assertRanOnA(followedFromB);
        on(a);
        assertEquals(followedFromB.getString("state"), awaitDag(backupDag).getString("state"), "same DAG from A");
        api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .body("data.status.status", org.hamcrest.Matchers.equalTo("COMPLETED"));

        on(b);
        Path destOfB = DATA_DIR.resolve("dest-b");
        int tenantPortOfB = tenantOfBArchiving(destOfB);
        TenantWrites.fillWithoutBinlog(tenantPort, ROOT_PASSWORD);
        long tenantPid = tenantPid();
        String interrupted = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
        Path setDir = newestSetDir();
        String backupOfB = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT_OF_B + "/backup").then()
                .statusCode(200).extract().path("data.id");
        awaitPartialSet(setDir);
        assertEquals("RUNNING", dagState(backupOfB), "B's own backup runs when A is killed");
        a.kill();
        long killedAt = System.nanoTime();

        sleep((TIMEOUT_SECONDS - 4) * 1000L);
        assertEquals("RUNNING", dagState(interrupted), "B must not touch A's running DAG before the timeout");
        JsonPath failed = awaitDag(interrupted);
        long afterKillMillis = (System.nanoTime() - killedAt) / 1_000_000L;
        assertEquals("FAILED", failed.getString("state"), failed::prettify);
        // the timeout runs from A's last heartbeat, which came up to one heartbeat interval (1 s) before the kill
        assertTrue(afterKillMillis >= (TIMEOUT_SECONDS - 1) * 1000L,
                "failed " + afterKillMillis + " ms after the kill, before the timeout");
        String last = lastLogOfFailedNode(failed);
        assertTrue(last.contains("Agent " + identityA + ", which runs this DAG, is gone"), last);
        assertEquals(tenantPid, tenantPid(), "B must not signal A's tenant instance");
        assertTrue(ProcessHandle.of(tenantPid).map(ProcessHandle::isAlive).orElse(false));
        badRequest().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(503).body("error.errCode", org.hamcrest.Matchers.equalTo("Agent.Owner.Gone"));

        assertTrue(Files.exists(setDir), "B must not touch A's files");
        bsBackupAndArchiveAreUntouchedByAsDeath(backupOfB, tenantPortOfB, destOfB.resolve("archive"));

        a.start();
        assertFalse(Files.exists(setDir), "A, back, cleans up the partial set of its DAG that B failed");
        List<String> cleaned = awaitDag(interrupted).getList(
                "nodes.findAll { it.state == 'FAILED' }.sub_tasks.flatten().task_logs.flatten()");
        assertTrue(cleaned.contains("Cleaning up 'Start backup' now that this agent is back"), cleaned::toString);
        assertEquals(last, cleaned.get(cleaned.size() - 1));
        String afterRestart = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
        awaitPartialSet(newestSetDir());
        assertEquals("RUNNING", dagState(afterRestart), "B is restarted while A's backup runs");
        b.close();
        b.start();
        JsonPath next = awaitDag(afterRestart);
        assertEquals("SUCCEED", next.getString("state"), next::prettify);
        assertRanOnA(next);
        assertEquals(tenantPid, tenantPid(), "the restarted A adopts its tenant's instance");

        archiverPausedPastItsLeaseStopsAndNothingIsArchivedTwice(tenantPort, dest.resolve("archive"));
        theSetTakenThroughBRestoresOnBEqualToTheSource(tenantPort, dest);
        aThirdAgentFollowsADagOfAAndTakesNoTenant(dest);
    }

    /** B's own tenant, with a set and its archive DOING, then three million rows so that its next backup runs a while. */
    private static int tenantOfBArchiving(Path dest) throws Exception {
        int port = createTenant(TENANT_OF_B, ROOT_PASSWORD).getInt("connection.port");
        assertRanOn(portB, awaitDag(api().body(Map.of("data_base_uri", "file://" + dest.resolve("data"),
                        "archive_base_uri", "file://" + dest.resolve("archive")))
                .post("/api/v1/tenant/" + TENANT_OF_B + "/backup/config").then().statusCode(200)
                .extract().path("data.id")));
        assertRanOn(portB, awaitDag(api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT_OF_B + "/backup")
                .then().statusCode(200).extract().path("data.id")));
        assertArchiveDoing(TENANT_OF_B);
        TenantWrites.fillWithoutBinlog(port, ROOT_PASSWORD);
        return port;
    }

    /** The backup B ran for its own tenant when A was killed succeeds; B's archive goes on with the new changes. */
    private static void bsBackupAndArchiveAreUntouchedByAsDeath(String backupOfB, int tenantPortOfB, Path archive)
            throws Exception {
        assertRanOn(portB, awaitDag(backupOfB));
        TenantWrites.writeAndRotate(tenantPortOfB, ROOT_PASSWORD);
        TenantWrites.awaitArchivedUpToTheServer(archive, 1, tenantPortOfB, ROOT_PASSWORD);
        assertArchiveDoing(TENANT_OF_B);
    }

    /**
     * A third agent C joins: it lists three agents, a write for A's tenant sent to C runs on A and C follows it, and
     * the tenants stay where they are.
     */
    private static void aThirdAgentFollowsADagOfAAndTakesNoTenant(Path dest) throws Exception {
        c = agent("c", TestTenant.freePort());
        c.start();
        on(c);
        api().get("/api/v1/agents").then().statusCode(200).body("data.contents.size()", org.hamcrest.Matchers.is(3));
        assertRanOnA(awaitDag(api().body(Map.of("data_base_uri", "file://" + dest.resolve("data"),
                        "archive_base_uri", "file://" + dest.resolve("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(200).extract().path("data.id")));
        assertArchiveDoing(TENANT);
        for (String tenant : List.of(TENANT, RESTORED, TENANT_OF_B)) {
            assertFalse(Files.exists(DATA_DIR.resolve("c").resolve(tenant)), "C hosts no tenant: " + tenant);
        }
    }

    private static void assertArchiveDoing(String tenant) {
        api().get("/api/v1/tenant/" + tenant + "/backup/log/tasks").then().statusCode(200)
                .body("data.contents[0].status", org.hamcrest.Matchers.equalTo("DOING"));
    }

    /**
     * A restore requested from B creates the tenant on B: the newest set (taken on A through B) plus A's archive,
     * everything the source has written, restores equal to the source.
     */
    private static void theSetTakenThroughBRestoresOnBEqualToTheSource(int tenantPort, Path dest) throws Exception {
        Map<String, Long> source = TenantApiClient.checksumsAsRoot(tenantPort, ROOT_PASSWORD);
        on(b);
        String restoreDag = api().body(Map.of("data_backup_uri", "file://" + dest.resolve("data"),
                        "archive_log_uri", "file://" + dest.resolve("archive"), "restore_tenant_name", RESTORED))
                .post("/api/v1/tenant/restore").then().statusCode(200).extract().path("data.id");
        assertRanOn(portB, awaitDag(restoreDag));
        assertTrue(Files.exists(DATA_DIR.resolve("b").resolve(RESTORED)), "the restored tenant lives on B");
        assertTrue(source.containsKey("`shop`.`events`") && source.containsKey("`shop`.`changes`"), source::toString);
        assertEquals(source, TenantApiClient.checksumsAsRoot(TenantApiClient.port(RESTORED), ROOT_PASSWORD));
    }

    /**
     * SIGSTOP of A past its archive lease, with a closed binlog file waiting, then SIGCONT: the woken archiver's lease
     * generation is no longer valid, so it stops without writing; a new generation resumes after the last piece.
     */
    private static void archiverPausedPastItsLeaseStopsAndNothingIsArchivedTwice(int tenantPort, Path archive)
            throws Exception {
        TenantWrites.writeAndRotate(tenantPort, ROOT_PASSWORD);
        TenantWrites.awaitArchivedUpToTheServer(archive, 1, tenantPort, ROOT_PASSWORD);
        a.signal("STOP");
        TenantWrites.writeAndRotate(tenantPort, ROOT_PASSWORD);
        sleep((LEASE_SECONDS + 4) * 1000L); // past the lease, short of the agent timeout
        a.signal("CONT");
        TenantWrites.awaitArchivedUpToTheServer(archive, 1, tenantPort, ROOT_PASSWORD);
        String log = Files.readString(a.log());
        assertTrue(log.contains("archive lease expired or passed to another instance")
                || log.contains("expired or was taken; stopping its archiver"), "the woken archiver must see its lease"
                + " is gone; see " + a.log());
        List<String> archived = io.tenantbackup.archive.ArchivedBinlogs.assertArchivedOnceAndIdentical(archive, 1,
                DATA_DIR.resolve("a").resolve(TENANT).resolve("binlog"));
        assertTrue(archived.size() >= 2, archived::toString);
    }

    private static ServiceProcess agent(String name, int port) {
        return new ServiceProcess(DATA_DIR.resolve(name), port, jdbcUrl(), DATA_DIR.resolve(name + ".log"))
                .with("TENANT_BACKUP_AGENT_HEARTBEAT_INTERVAL", "1s")
                .with("TENANT_BACKUP_AGENT_TIMEOUT", TIMEOUT_SECONDS + "s")
                .with("TENANT_BACKUP_AGENT_LEASE_DURATION", LEASE_SECONDS + "s")
                .with("TENANT_BACKUP_AGENT_LEASE_RENEW_INTERVAL", "2s");
    }

    private static String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:3306/" + DB;
    }

    private static void on(ServiceProcess service) {
        RestAssured.baseURI = service.baseUri();
        RestAssured.port = -1;
    }

    private static void refusedAtStart(ServiceProcess service, String reason) throws Exception {
        int exit = service.startAndAwaitExit();
        String log = Files.readString(service.log());
        assertNotEquals(0, exit, log);
        assertTrue(log.contains(reason), () -> "expected '" + reason + "' in:\n" + log);
    }

    private static void assertRanOnA(JsonPath dag) {
        assertRanOn(portA, dag);
    }

    private static void assertRanOn(int agentPort, JsonPath dag) {
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        List<Integer> ports = dag.getList("nodes.sub_tasks.flatten().execute_agent.port");
        assertTrue(!ports.isEmpty() && ports.stream().allMatch(port -> port == agentPort), ports::toString);
    }

    private static String dagState(String id) {
        return api().get("/api/v1/task/dag/" + id).then().statusCode(200).extract().path("data.state");
    }

    private static String lastLogOfFailedNode(JsonPath dag) {
        List<List<String>> logs = dag.getList("nodes.findAll { it.state == 'FAILED' }.sub_tasks.flatten().task_logs");
        List<String> lines = logs.get(0);
        return lines.get(lines.size() - 1);
    }

    /** The directory of the newest set of A's tenant, the one a backup just started writes. */
    private static Path newestSetDir() {
        return Path.of(api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .extract().<String>path("data.status.path").substring("file://".length()));
    }

    private static void awaitPartialSet(Path setDir) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try (var files = Files.exists(setDir) ? Files.list(setDir) : java.util.stream.Stream.<Path>empty()) {
                if (files.anyMatch(file -> file.toString().endsWith(".part") && size(file) > 5_000_000L)) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "the backup never started streaming");
            sleep(5);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException gone) {
            return 0;
        }
    }

    private static long tenantPid() throws Exception {
        return Long.parseLong(Files.readString(DATA_DIR.resolve("a").resolve(TENANT).resolve("mysqld.pid")).trim());
    }
}
