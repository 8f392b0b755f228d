package io.tenantbackup.auth;

import io.restassured.path.json.JsonPath;
import io.tenantbackup.testing.RestoreCheck;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TableChecksums;
import io.tenantbackup.testing.TestTenant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The main job driven by SDK-style clients, as a user of both SDKs would: create a tenant with rows, configure its
 * destinations, take a full backup, restore the stored set by hand and compare CHECKSUM TABLE, drop the tenant.
 */
final class SdkBackupFlow {

    private SdkBackupFlow() {
    }

    /** Runs the flow for {@code tenant}, destinations under {@code destinations} (removed at the end). */
    static void fullBackupChecked(SdkClient python, SdkClient go, Path dataDir, String tenant, String rootPassword,
                                  Path destinations) throws Exception {
        removeLeftovers(dataDir, tenant);
        TestTenant.deleteTree(destinations);
        JsonPath created = python.call("POST", "/api/v1/tenant", "{\"name\": \"" + tenant + "\", \"root_password\": \""
                + rootPassword + "\", \"charset\": \"utf8mb4\"}").json();
        assertEquals("SUCCEED", awaitDag(python, created.getString("data.id")).getString("state"));
        int port = python.get("/api/v1/tenant/" + tenant).json().getInt("data.connection.port");
        try (Connection connection = connectAsRoot(port, rootPassword); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("USE shop");
            sql.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(64)) ENGINE=InnoDB");
            sql.execute("INSERT INTO shop.orders SELECT seq, CONCAT('item-', seq) FROM seq_1_to_5000");
        }
        String configBody = "{\"data_base_uri\":\"file://" + destinations.resolve("data") + "\",\"archive_base_uri\":\"file://"
                + destinations.resolve("archive") + "\",\"binlog\":null}";
        JsonPath configured = go.call("POST", "/api/v1/tenant/" + tenant + "/backup/config", configBody).json();
        assertEquals("SUCCEED", awaitDag(python, configured.getString("data.id")).getString("state"));

        Map<String, Long> source;
        try (Connection connection = connectAsRoot(port, rootPassword)) {
            source = TableChecksums.of(connection);
        }
        JsonPath started = python.call("POST", "/api/v1/tenant/" + tenant + "/backup", "{\"mode\": \"full\"}").json();
        JsonPath dag = awaitDag(python, started.getString("data.id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        JsonPath overview = go.get("/api/v1/tenant/" + tenant + "/backup/overview").json().setRootPath("data.status");
        assertEquals("COMPLETED", overview.getString("status"));
        Path setDir = Path.of(overview.getString("path").substring("file://".length()));
        Path xbstream = StoredSets.decodeData(setDir, null, Files.createTempFile(tenant + "-", ".xbstream"));
        try {
            assertEquals(source, RestoreCheck.restoredChecksums(xbstream, dataDir.resolve(tenant).resolve("agent.cnf")));
        } finally {
            Files.delete(xbstream);
        }

        JsonPath dropped = go.call("DELETE", "/api/v1/tenant/" + tenant, null).json();
        assertEquals("SUCCEED", awaitDag(python, dropped.getString("data.id")).getString("state"));
        TestTenant.deleteTree(destinations);
    }

    /** Follows a DAG as the SDKs' wait loops do, each poll a freshly authenticated GET. */
    static JsonPath awaitDag(SdkClient client, String id) {
        for (int poll = 0; poll < 1500; poll++) {
            JsonPath dag = client.get("/api/v1/task/dag/" + id + "?show_details=True").json().setRootPath("data");
            String state = dag.getString("state");
            if ("SUCCEED".equals(state) || "FAILED".equals(state)) {
                return dag;
            }
            sleep(200);
        }
        throw new AssertionError("DAG " + id + " did not finish within 5 minutes");
    }
}
