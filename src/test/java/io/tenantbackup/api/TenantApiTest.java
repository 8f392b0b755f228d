package io.tenantbackup.api;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.SqlStatements;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * POST /api/v1/tenant refuses bad input with obshell's codes and creates nothing; the overview lists tenants; a tenant's
 * info (which dashboards poll) is one statement.
 */
@QuarkusTest
class TenantApiTest {

    @Inject
    ServiceConfig config;

    @Test
    void badCreateRequestsAreRefusedAndCreateNothing() {
        int tenantsBefore = tenantNames().size();
        refused("{\"name\":\"\"}", 400, "OB.Tenant.Name.Empty");
        refused("{\"name\":\"sys\"}", 400, "OB.Tenant.SysOperationNotAllowed");
        refused("{\"name\":\"../etc\"}", 400, "OB.Tenant.Name.Invalid");
        refused("{\"name\":\"" + "a".repeat(65) + "\"}", 400, "OB.Tenant.Name.Invalid");
        refused("{\"name\":\"t_bad\",\"charset\":\"klingon\"}", 400, "Common.IllegalArgument");
        refused("{\"name\":\"t_bad\",\"variables\":{\"max_connections\":\"1; DROP USER root\"}}", 400,
                "Common.IllegalArgument");
        refused("{\"root_password\":\"x\"}", 400, "Common.BindJsonFailed");
        refused("{\"name\": 7}", 400, "Common.BindJsonFailed");
        refused("not json", 400, "Common.BindJsonFailed");
        assertEquals(tenantsBefore, tenantNames().size());
        assertFalse(Files.exists(config.dataDir().resolve("t_bad")));
    }

    @Test
    void tenantIsListedWithItsConnectionAndDuplicatesAreRefused() throws Exception {
        TenantApiClient.removeLeftovers(config.dataDir(), "t_api");
        TenantApiClient.createTenant("t_api", "pw-t-api");
        try {
            api().get("/api/v1/tenants/overview").then().statusCode(200)
                    .body("data.contents.tenant_name", hasItem("t_api"));
            api().get("/api/v1/tenant/t_api").then().statusCode(200)
                    .body("data.status", equalTo("NORMAL"))
                    .body("data.instance_up", equalTo(true))
                    .body("data.connection.socket", equalTo(config.dataDir().resolve("t_api/mysqld.sock").toString()));
            List<String> infoRead = SqlStatements.fewestOf(10, () -> api().get("/api/v1/tenant/t_api").then()
                    .statusCode(200));
            assertEquals(1, infoRead.size(), () -> "the route's tenant check only; the instance state comes from the"
                    + " pid file of the row it read: " + infoRead);
            refused("{\"name\":\"t_api\"}", 400, "OB.Tenant.Existed");
        } finally {
            TenantApiClient.dropTenant("t_api");
        }
    }

    private static void refused(String body, int status, String errCode) {
        badRequest().body(body).post("/api/v1/tenant").then()
                .statusCode(status)
                .body("successful", equalTo(false))
                .body("error.errCode", equalTo(errCode));
    }

    private static List<String> tenantNames() {
        List<String> names = api().get("/api/v1/tenants/overview").then().statusCode(200)
                .extract().path("data.contents.tenant_name");
        return names == null ? List.of() : names;
    }
}
