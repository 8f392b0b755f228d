package io.tenantbackup.exposure;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
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
 */
@QuarkusTest
@TestProfile(NetworkProfile.class)
class PlainHttpApiTest {

    @TestHTTPResource("/")
    URL api;

    @Test
    void plainHttpFromAnotherAddressIsRefusedAndFromLoopbackServed() throws Exception {
        Optional<InetAddress> network = nonLoopbackAddress();
        assumeTrue(network.isPresent(), "this machine has no non-loopback address");
        for (String route : new String[]{"/api/v1/secret", "/api/v1/info", "/api/v1/tenants/overview"}) {
            HttpResponse<String> refused = get(network.get().getHostAddress(), route);
            JsonPath error = new JsonPath(refused.body());
            assertEquals(403, refused.statusCode(), refused::body);
            assertEquals("Security.Transport.PlainHttpRefused", error.getString("error.errCode"));
            assertEquals("Plain HTTP is accepted from this host only: use HTTPS (set TENANT_BACKUP_TLS_CERT and"
                    + " TENANT_BACKUP_TLS_KEY on the service), or set TENANT_BACKUP_PLAIN_HTTP=any to accept plain HTTP"
                    + " from the network.", error.getString("error.message"));
        }
        assertEquals(200, get("127.0.0.1", "/api/v1/secret").statusCode());
    }

    private HttpResponse<String> get(String host, String route) throws Exception {
        URI target = new URI("http", null, host, api.getPort(), route, null, null);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(target).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this machine's network interfaces; a client connecting to it is not on loopback. */
    static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(address -> address instanceof Inet4Address).findFirst();
    }
}
