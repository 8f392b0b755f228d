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
        String dagId = api().body(Map.of("data_base_uri", "file://" + destination.resolve("data"),
                        "archive_base_uri", "file://" + destination.resolve("archive")))
                .post("/api/v1/tenant/" + tenant + "/backup/config").then().statusCode(200)
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

    private static JsonPath assertSucceeded(JsonPath dag) {
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return dag;
    }
}
