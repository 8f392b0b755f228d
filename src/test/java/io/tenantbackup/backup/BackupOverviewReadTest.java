package io.tenantbackup.backup;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.SqlStatements;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GET /tenant/{name}/backup/overview, which dashboards poll for every tenant, checks its tenant in its own one
 * statement instead of the route check: a bad name, an unknown tenant and a tenant under maintenance get exactly the
 * error a route checked by TenantRouteFilter gets (backup/info), and a set that starts shows on the next read.
 */
@QuarkusTest
class BackupOverviewReadTest {

    private static final String TENANT = "bov";
    private static final long FIRST_SET = 991_001;

    @Inject
    DataSource dataSource;

    @Inject
    ServiceConfig config;

    @Test
    void oneStatementAnswersTheRouteChecksErrorsAndTheLatestSet() throws Exception {
        badRequest().get(overview("nobody")).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"))
                .body("error.message", equalTo("Tenant 'nobody' does not exist."));
        for (String name : List.of("nobody", "bad-name", "sys")) {
            assertSameErrorAsTheRouteCheck(name);
        }
        removeLeftovers(config.dataDir(), TENANT);
        long tenantId = createTenant(TENANT, "bov-root").getLong("tenant_id");
        try {
            badRequest().get(overview(TENANT)).then().statusCode(404)
                    .body("error.errCode", equalTo("Task.NotFound"))
                    .body("error.message", equalTo("Task not found: no backup task"));
            insertSet(FIRST_SET, tenantId, "COMPLETED", "2026-01-01 10:00:00");
            assertEquals(Map.of("id", FIRST_SET, "status", "COMPLETED"), latest());
            List<String> statements = SqlStatements.fewestOf(5, () -> api().get(overview(TENANT)).then().statusCode(200));
            assertEquals(1, statements.size(), () -> "the tenant, its set and verification summary: " + statements);

            insertSet(FIRST_SET + 1, tenantId, "DOING", "2026-01-02 10:00:00");
            assertEquals(Map.of("id", FIRST_SET + 1, "status", "DOING"), latest(), "a starting backup shows at once");

            sql("UPDATE tenant SET status = 'DROPPING' WHERE id = " + tenantId);
            assertSameErrorAsTheRouteCheck(TENANT);
            sql("UPDATE tenant SET status = 'NORMAL' WHERE id = " + tenantId);
        } finally {
            sql("DELETE FROM backup_set WHERE id IN (" + FIRST_SET + ", " + (FIRST_SET + 1) + ")");
            dropTenant(TENANT);
        }
    }

    private static String overview(String tenant) {
        return "/api/v1/tenant/" + tenant + "/backup/overview";
    }

    /** The overview's error is the one of backup/info, whose tenant TenantRouteFilter checks. */
    private static void assertSameErrorAsTheRouteCheck(String tenant) {
        assertEquals(error("/api/v1/tenant/" + tenant + "/backup/info"), error(overview(tenant)), tenant);
    }

    /** Not checked against the contract: obshell answers a tenant under maintenance with 500, which it leaves out. */
    private static Map<String, Object> error(String path) {
        ExtractableResponse<Response> response = RestAssured.get(path).then().extract();
        return Map.of("http", response.statusCode(), "error", response.jsonPath().getMap("error"),
                "successful", response.jsonPath().getBoolean("successful"));
    }

    private static Map<String, Object> latest() {
        JsonPath set = api().get(overview(TENANT)).then().statusCode(200).extract().jsonPath().setRootPath("data.status");
        return Map.of("id", set.getLong("backup_set_id"), "status", set.getString("status"));
    }

    private void insertSet(long id, long tenantId, String status, String start) throws SQLException {
        sql("INSERT INTO backup_set (id, tenant_id, tenant_name, backup_type, plus_archive, status, path, start_time,"
                + " input_bytes, output_bytes, encryption_mode, result) VALUES (" + id + ", " + tenantId + ", '" + TENANT
                + "', 'FULL', 0, '" + status + "', 'file:///bov/backup_set_" + id + "', '" + start + "', 0, 0, 'NONE', 0)");
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
