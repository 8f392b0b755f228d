package io.tenantbackup.it;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.archive.ArchivedBinlogs;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service in prod mode, killed with SIGKILL in the middle of a backup and started again: the DAG must
 * end (never stay RUNNING), the partial set must disappear, the tenant's instance must survive and be adopted,
 * the next backup must work, and the binlog archive must go on with no gap and no duplicate. Also checks that prod serves the contract in Swagger UI.
 */
class ServiceRestartIT {

    private static final String TENANT = "crash1";
    private static final String ROOT_PASSWORD = "crash-pw";
    private static final Path DATA_DIR = Path.of("/tmp/tb-it");
    private static final String DB = "tenant_backup_it";

    private static ServiceProcess service;

    @BeforeAll
    static void startService() throws Exception {
        TenantApiClient.removeLeftovers(DATA_DIR, TENANT);
        TestTenant.deleteTree(DATA_DIR);
        ServiceProcess.recreateDatabase(DB);
        Path log = Path.of("target/it-service.log");
        Files.deleteIfExists(log);
        service = new ServiceProcess(DATA_DIR.resolve("tenants"), TestTenant.freePort(),
                "jdbc:mysql://127.0.0.1:3306/" + DB, log);
        service.start();
        RestAssured.baseURI = service.baseUri();
        RestAssured.port = -1;
    }

    @AfterAll
    static void stopService() throws Exception {
        if (service != null) {
            TenantApiClient.dropTenant(TENANT);
            service.close();
        }
        RestAssured.reset();
    }

    @Test
    void backupInterruptedByAServiceCrashEndsFailedAndTheServiceRecovers() throws Exception {
        RestAssured.get("/q/swagger-ui/").then().statusCode(200);
        RestAssured.get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/tenant/{name}/backup"));

        int port = createTenant(TENANT, ROOT_PASSWORD).getInt("connection.port");
        TenantWrites.fillWithoutBinlog(port, ROOT_PASSWORD);
        Path dest = DATA_DIR.resolve("dest");
        String configDag = api().body(Map.of("data_base_uri", "file://" + dest.resolve("data"),
                        "archive_base_uri", "file://" + dest.resolve("archive")))
                .post("/api/v1/tenant/" + TENANT + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(configDag).getString("state"));
        long tenantPid = tenantPid();

        String dagId = api().body("{\"mode\":\"full\"}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
        Path setDir = Path.of(api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .extract().<String>path("data.status.path").substring("file://".length()));
        awaitPartialStream(setDir.resolve("data.xbstream.zst.part"));
        TenantWrites.writeAndRotate(port, ROOT_PASSWORD);
        service.kill();
        TenantWrites.writeAndRotate(port, ROOT_PASSWORD);

        service.start();
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        assertEquals("Start backup", dag.getString("nodes[2].name"));
        List<String> logs = dag.getList("nodes[2].sub_tasks[0].task_logs");
        assertTrue(logs.get(logs.size() - 1).contains("The service stopped while 'Start backup' was running"),
                logs::toString);
        api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .body("data.status.status", org.hamcrest.Matchers.equalTo("FAILED"));
        assertFalse(Files.exists(setDir), "partial set left after the crash: " + setDir);
        assertEquals(tenantPid, tenantPid(), "the tenant's mariadbd must be adopted, not restarted");

        String next = api().body("{}").post("/api/v1/tenant/" + TENANT + "/backup").then()
                .statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(next).getString("state"));
        api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then()
                .body("data.status.status", org.hamcrest.Matchers.equalTo("COMPLETED"));

        // the binlog archive went on across the crash: nothing lost, nothing stored twice
        TenantWrites.writeAndRotate(port, ROOT_PASSWORD);
        Path archive = dest.resolve("archive");
        TenantWrites.awaitArchivedUpToTheServer(archive, 1, port, ROOT_PASSWORD);
        List<String> archived = ArchivedBinlogs.assertArchivedOnceAndIdentical(archive, 1,
                DATA_DIR.resolve("tenants").resolve(TENANT).resolve("binlog"));
        assertTrue(archived.size() >= 3, "one file closed before, during and after the crash each: " + archived);
    }

    private static void awaitPartialStream(Path part) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!(Files.exists(part) && Files.size(part) > 5_000_000L)) {
            assertTrue(System.nanoTime() < deadline, "the backup never started streaming");
            sleep(5);
        }
    }

    private static long tenantPid() throws Exception {
        return Long.parseLong(Files.readString(DATA_DIR.resolve("tenants").resolve(TENANT).resolve("mysqld.pid")).trim());
    }
}
