package io.tenantbackup.auth;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.tenantbackup.api.Contract.badRequest;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without a root password plain JSON is served as before, and SDK requests (header + encrypted body) are decrypted
 * with any {@code auth}; their time and uri are still checked.
 */
@QuarkusTest
class AuthWithoutPasswordTest {

    private static final String NAMELESS_TENANT = "{\"name\": \"\", \"root_password\": \"x\"}";

    @TestHTTPResource("/")
    URL root;

    @Test
    void plainJsonIsServed() {
        badRequest().body(NAMELESS_TENANT).post("/api/v1/tenant").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Tenant.Name.Empty"));
        badRequest().get("/api/v1/task/dag/unfinish?show_details=true").then().statusCode(200);
    }

    @Test
    void sdkBodiesAreDecryptedWhateverTheAuth() {
        SdkClient python = SdkClient.python(base(), "");
        assertEquals("OB.Tenant.Name.Empty", python.call("POST", "/api/v1/tenant", NAMELESS_TENANT).errCode());
        SdkClient go = SdkClient.go(base(), "a password this service does not have");
        assertEquals("OB.Tenant.SysOperationNotAllowed",
                go.call("POST", "/api/v1/tenant", "{\"name\":\"sys\",\"root_password\":\"x\"}").errCode());
        assertEquals(200, go.get("/api/v1/task/dag/unfinish?show_details=true").status());
        assertEquals(200, python.get("/api/v1/task/dag/unfinish?show_details=True").status());
    }

    @Test
    void headerTimeAndUriAreStillChecked() {
        SdkClient python = SdkClient.python(base(), "");
        String target = "/api/v1/task/dag/unfinish";
        SdkClient.Answer expired = python.prepare("GET", target, null,
                python.claims(target).withTs(System.currentTimeMillis() / 1000 - 60)).send();
        assertEquals(401, expired.status());
        assertEquals("Security.Authentication.Expired", expired.errCode());
        SdkClient.Answer otherRoute = python.prepare("GET", target, null, python.claims("/api/v1/tenant/au0")).send();
        assertEquals("Security.Authentication.Header.UriMismatch", otherRoute.errCode());
        assertEquals(10008, otherRoute.code());
    }

    private String base() {
        String url = root.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
