package io.tenantbackup.exposure;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.testing.TestNetwork;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A service listening on the network over plain HTTP answers the API to this host only, until
 * TENANT_BACKUP_PLAIN_HTTP=any says otherwise: a client elsewhere must not fetch the public key in clear.
 * "Elsewhere" is the test run's own network namespace.
 */
@QuarkusTest
@TestProfile(NetworkProfile.class)
class PlainHttpApiTest {

    @TestHTTPResource("/")
    URL api;

    @Test
    void plainHttpFromAnotherHostIsRefusedAndFromLoopbackServed() throws Exception {
        Optional<TestNetwork> created = TestNetwork.create();
        assumeTrue(created.isPresent(), "no network namespace for another host (iproute2 and root needed)");
        try (TestNetwork network = created.get()) {
            for (String route : new String[]{"/api/v1/secret", "/api/v1/info", "/api/v1/tenants/overview"}) {
                TestNetwork.Result refused = network.curl("http://" + network.hostAddress() + ":" + api.getPort() + route);
                assertEquals(0, refused.exitCode(), refused::toString);
                assertEquals(403, refused.status(), refused::toString);
                JsonPath error = new JsonPath(refused.body());
                assertEquals("Security.Transport.PlainHttpRefused", error.getString("error.errCode"));
                assertEquals("Plain HTTP is accepted from this host only: use HTTPS (set TENANT_BACKUP_TLS_CERT and"
                        + " TENANT_BACKUP_TLS_KEY on the service), or set TENANT_BACKUP_PLAIN_HTTP=any to accept plain"
                        + " HTTP from the network.", error.getString("error.message"));
            }
        }
        URI loopback = new URI("http", null, "127.0.0.1", api.getPort(), "/api/v1/secret", null, null);
        assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(loopback).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
