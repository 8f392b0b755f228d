package io.tenantbackup.auth;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tenantbackup.ServiceConfig;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS only, with a certificate from PEM files: SDK-style clients that trust that certificate (as Python's
 * {@code ProtocolOptions.https(verify_cert="cert.pem")} does) take a full backup over HTTPS; plain HTTP gets no
 * answer, and a client that does not trust the certificate does not connect.
 */
@QuarkusTest
@TestProfile(HttpsProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpsApiTest {

    private static final String TENANT = "tl1";
    private static final String TENANT_ROOT_PASSWORD = "tl-tenant-R00t";

    @TestHTTPResource(value = "/", tls = true)
    URL root;

    @Inject
    ServiceConfig config;

    private Certificate certificate;
    private HttpClient https;
    private String base;

    @BeforeEach
    void clientTrustingTheServiceCertificate() throws Exception {
        if (https != null) {
            return;
        }
        try (InputStream in = Files.newInputStream(HttpsProfile.CERT)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("tenant-backup", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        https = HttpClient.newBuilder().sslContext(tls).build();
        String url = root.toString();
        base = url.substring(0, url.length() - 1);
    }

    @Test
    @Order(1)
    void theServiceAnswersOverHttpsWithTheConfiguredCertificate() throws Exception {
        assertTrue(base.startsWith("https://"), base);
        HttpResponse<String> info = https.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/info")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, info.statusCode());
        Certificate served = info.sslSession().orElseThrow().getPeerCertificates()[0];
        assertArrayEquals(certificate.getEncoded(), served.getEncoded());
        assertTrue(SdkClient.fetchPublicKey(https, base).getModulus().bitLength() >= 2048,
                "the public key of /secret comes over the authenticated channel");
    }

    @Test
    @Order(2)
    void plainHttpIsRefusedAndAnUntrustedCertificateDoesNotConnect() {
        int plainPort = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        HttpClient plain = HttpClient.newHttpClient();
        assertThrows(ConnectException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + plainPort + "/api/v1/info")).build(), HttpResponse.BodyHandlers.ofString()),
                "plain HTTP answered on its port");
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create(base.replace("https://", "http://") + "/api/v1/info")).build(),
                HttpResponse.BodyHandlers.ofString()), "plain HTTP answered on the HTTPS port");
        assertThrows(SSLHandshakeException.class, () -> plain.send(HttpRequest.newBuilder(
                URI.create(base + "/api/v1/info")).build(), HttpResponse.BodyHandlers.ofString()),
                "a client without the certificate connected");
    }

    @Test
    @Order(3)
    void fullBackupThroughHttpsWithPythonAndGoStyleClients() throws Exception {
        SdkBackupFlow.fullBackupChecked(SdkClient.python(https, base, HttpsProfile.PASSWORD),
                SdkClient.go(https, base, HttpsProfile.PASSWORD), config.dataDir(), TENANT, TENANT_ROOT_PASSWORD,
                config.dataDir().resolveSibling(config.dataDir().getFileName() + "-tlsdest"));
    }
}
