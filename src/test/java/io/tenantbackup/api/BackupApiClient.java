package io.tenantbackup.api;

import io.restassured.path.json.JsonPath;

import java.nio.file.Path;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Backups as an API user runs them: set the destinations, start a backup, follow its DAG. */
public final class BackupApiClient {

    private BackupApiClient() {
    }

    /** Sets file:// data and archive destinations below {@code destination} and waits for the config DAG. */
    public static void configureBackup(String tenant, Path destination) {
        configure(tenant, Map.of("data_base_uri", "file://" + destination.resolve("data"),
                "archive_base_uri", "file://" + destination.resolve("archive")));
    }

    /** As {@link #configureBackup(String, Path)}, archiving with {@code archiveLagTarget} (e.g. "2s"). */
    public static void configureBackup(String tenant, Path destination, String archiveLagTarget) {
        configure(tenant, Map.of("data_base_uri", "file://" + destination.resolve("data"),
                "archive_base_uri", "file://" + destination.resolve("archive"), "archive_lag_target", archiveLagTarget));
    }

    private static void configure(String tenant, Map<String, String> body) {
        String dagId = api().body(body).post("/api/v1/tenant/" + tenant + "/backup/config").then().statusCode(200)
                .extract().path("data.id");
        assertSucceeded(awaitDag(dagId));
    }

    /** Runs a full backup to its end; returns the SUCCEEDed DAG. */
    public static JsonPath fullBackup(String tenant) {
        return backup(tenant, "{\"mode\":\"full\"}");
    }

    /** Runs the backup {@code body} asks for ({@code mode}, {@code encryption}) to its end; returns the SUCCEEDed DAG. */
    public static JsonPath backup(String tenant, String body) {
        String dagId = api().body(body).post("/api/v1/tenant/" + tenant + "/backup").then()
                .statusCode(200).extract().path("data.id");
        return assertSucceeded(awaitDag(dagId));
    }

    /** Until a cluster backup DAG has started at least one tenant's backup DAG (its node's additional_data says RUNNING). */
    public static void awaitClusterTenantRunning(String dagId) {
        for (int attempt = 0; attempt < 600; attempt++) {
            Map<String, String> data = api().get("/api/v1/task/dag/" + dagId).then().statusCode(200).extract()
                    .jsonPath().getMap("data.nodes[0].sub_tasks[0].additional_data");
            if (data != null && data.values().stream().anyMatch(value -> value.startsWith("RUNNING"))) {
                return;
            }
            TenantApiClient.sleep(50);
        }
        throw new AssertionError("Cluster backup " + dagId + " started no tenant backup within 30 s");
    }

    private static JsonPath assertSucceeded(JsonPath dag) {
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return dag;
    }
}
