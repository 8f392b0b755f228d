package io.tenantbackup.auth;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.ManagementInterface;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service with a root password, driven by {@link SdkClient} exactly as the Python and Go SDKs authenticate:
 * accepted with the password, refused with obshell's codes otherwise, and a full backup end to end.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthApiTest {

    private static final String TENANT = "au1";
    private static final String TENANT_ROOT_PASSWORD = "au-tenant-R00t#body";
    private static final String GO_RESTORE_PASSWORD = "au-go-restore-Pass#9";
    private static final String UNFINISHED = "/api/v1/task/dag/unfinish?show_details=True";

    @TestHTTPResource("/")
    URL root;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    ServiceConfig config;

    @Inject
    AuthConfig authConfig;

    @Inject
    AuthFailures failures;

    private String base;
    private SdkClient python;
    private SdkClient go;
    /** Header values the service saw: none may reach its log. */
    private final List<String> sentHeaders = new ArrayList<>();

    @BeforeEach
    void clients() {
        if (base == null) {
            String url = root.toString();
            base = url.substring(0, url.length() - 1);
            python = SdkClient.python(base, AuthProfile.PASSWORD);
            go = SdkClient.go(base, AuthProfile.PASSWORD);
        }
    }

    @Test
    @Order(1)
    void infoSaysSecurityAndTheSecretIsAPkcs1KeyOfAtLeast2048Bits() throws Exception {
        api().get("/api/v1/info").then().statusCode(200)
                .body("data.security", equalTo(true))
                .body("data.supportedAuth", equalTo(List.of("v2")));
        api().get("/api/v1/status").then().statusCode(200);
        String publicKey = api().get("/api/v1/secret").then().statusCode(200)
                .extract().path("data.public_key");
        assertTrue(SdkClient.fetchPublicKey(base).getModulus().bitLength() >= 2048);
        assertTrue(publicKey.startsWith("MIIBCgKCAQEA") || publicKey.startsWith("MIIB"), publicKey);
        assertThrows(Exception.class, () -> KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey))), "SPKI, not PKCS#1");
    }

    @Test
    @Order(2)
    void bothSdkStylesAreAcceptedWithAndWithoutBody() {
        assertEquals(200, python.get(UNFINISHED).status());
        assertEquals(200, go.get(UNFINISHED.replace("True", "true")).status());
        // the body decides the answer, so it was decrypted: Python sends no Content-Type, Go application/json
        assertEquals("OB.Tenant.Name.Empty", python.call("POST", "/api/v1/tenant",
                "{\"name\": \"\", \"root_password\": \"" + TENANT_ROOT_PASSWORD + "\"}").errCode());
        assertEquals("OB.Tenant.SysOperationNotAllowed", go.call("POST", "/api/v1/tenant",
                "{\"name\":\"sys\",\"root_password\":null,\"charset\":null}").errCode());
        SdkClient agentHeader = SdkClient.pythonAgent(base, AuthProfile.PASSWORD);
        assertEquals(200, agentHeader.get(UNFINISHED).status());
        // bodiless POSTs as the SDKs send them (Python: no Content-Type) pass the JSON content-type rule
        assertEquals("OB.Tenant.NotExist", python.call("POST", "/api/v1/tenant/au9/backup", null).errCode());
        assertEquals("OB.Tenant.NotExist", go.call("POST", "/api/v1/tenant/au9/backup", null).errCode());
    }

    /**
     * The Go SDK's restore request as it leaves RestoreSyncWithRequest: capitalised header keys, every field with
     * explicit nulls, one password per backup type. The answer comes from the restore check, so it was decrypted and
     * bound; the passwords never reach the log.
     */
    @Test
    @Order(2)
    void aGoSdkRestoreRequestIsDecodedAndBound() {
        String body = "{\"data_backup_uri\":\"file://" + config.dataDir().resolveSibling("au-no-backups")
                + "\",\"archive_log_uri\":null,\"restore_tenant_name\":\"aurs\",\"timestamp\":null,\"scn\":null,"
                + "\"zone_list\":[{\"name\":\"zone1\",\"unit_config_name\":\"unit1\",\"unit_num\":1,"
                + "\"replica_type\":\"\"}],\"primary_zone\":null,\"concurrency\":null,\"ha_high_thread_score\":null,"
                + "\"full_backup_decryption\":\"" + GO_RESTORE_PASSWORD + "\",\"inc_backup_decryption\":null,"
                + "\"kms_encrypt_info\":null}";
        assertEquals("OB.Restore.BackupSet.NotExist", go.call("POST", "/api/v1/tenant/restore", body).errCode());
    }

    @Test
    @Order(3)
    void goRequestsWithoutBodyInTheSameSecondAreNotReplays() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, go.get("/api/v1/task/dag/unfinish").status());
        }
    }

    @Test
    @Order(4)
    void wrongPasswordsAreRefusedAndARefusalCanBeRepeated() {
        long before = failures.failures();
        double createTenantFailures = authFailuresMetric("createTenant");
        String body = "{\"name\": \"au9\", \"root_password\": \"" + TENANT_ROOT_PASSWORD + "\"}";
        for (int attempt = 0; attempt < 2; attempt++) {
            SdkClient.Answer refused = send(python.prepare("POST", "/api/v1/tenant", body,
                    python.claims("/api/v1/tenant").withAuth("wrong")));
            assertRefused(refused, 10008, "Security.Authentication.IncorrectOceanbasePassword");
        }
        assertRefused(SdkClient.pythonAgent(base, "wrong").get(UNFINISHED), 10008,
                "Security.Authentication.IncorrectAgentPassword");
        assertRefused(SdkClient.go(base, "").get(UNFINISHED), 10008,
                "Security.Authentication.IncorrectOceanbasePassword");
        assertEquals("OB.Tenant.NotExist", python.get("/api/v1/tenant/au9").errCode(), "a refused POST created nothing");
        assertEquals(before + 4, failures.failures());
        assertEquals(createTenantFailures + 2, authFailuresMetric("createTenant"));
    }

    /** tenant_backup_auth_failures_total{route="<operation>"} as Prometheus scrapes it (0 before the first). */
    private double authFailuresMetric(String operation) {
        String prefix = "tenant_backup_auth_failures_total{route=\"" + operation + "\"} ";
        return ManagementInterface.metrics(management).lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()).trim()))
                .findFirst().orElse(0);
    }

    @Test
    @Order(5)
    void timeIsBoundedOnBothEnds() {
        long now = System.currentTimeMillis() / 1000;
        assertRefused(send(python.prepare("GET", UNFINISHED, null, python.claims(UNFINISHED).withTs(now - 30))),
                10008, "Security.Authentication.Expired");
        assertRefused(send(go.prepare("GET", UNFINISHED, null, go.claims(UNFINISHED).withTs(now + 3600))),
                10008, "Security.Authentication.Timestamp.Invalid");
        assertRefused(send(python.prepare("GET", UNFINISHED, null,
                new SdkClient.Claims(AuthProfile.PASSWORD, "soon", UNFINISHED))), 10008,
                "Security.Authentication.Timestamp.Invalid");
        assertEquals(200, send(python.prepare("GET", UNFINISHED, null, python.claims(UNFINISHED).withTs(now + 290)))
                .status(), "within the 300 s maximum");
    }

    @Test
    @Order(6)
    void aHeaderWorksOnceAndOnlyForItsRoute() {
        SdkClient.Prepared request = python.prepare("GET", UNFINISHED, null, python.claims(UNFINISHED));
        assertEquals(200, send(request).status());
        assertRefused(request.send(), 10008, "Security.Authentication.Replayed");
        assertRefused(send(python.prepare("GET", UNFINISHED, null, python.claims("/api/v1/tenant/au1"))), 10008,
                "Security.Authentication.Header.UriMismatch");
        assertRefused(send(python.prepare("GET", UNFINISHED, null, python.claims("/api/v1/task/dag/unfinish"))),
                10008, "Security.Authentication.Header.UriMismatch");
    }

    @Test
    @Order(7)
    void aTamperedBodyIsRefusedWhateverBroke() {
        String body = "{\"name\": \"au9\", \"root_password\": \"" + TENANT_ROOT_PASSWORD + "\"}";
        SdkClient.Prepared request = python.prepare("POST", "/api/v1/tenant", body, python.claims("/api/v1/tenant"));
        byte[] ciphertext = Base64.getDecoder().decode(request.body());
        byte[] lastBlock = ciphertext.clone();
        lastBlock[lastBlock.length - 1] ^= 1;
        byte[] firstBlock = ciphertext.clone();
        firstBlock[0] ^= 1;
        List<byte[]> tampered = List.of(Base64.getEncoder().encode(lastBlock), Base64.getEncoder().encode(firstBlock),
                "not base64!".getBytes(StandardCharsets.US_ASCII), Base64.getEncoder().encode(new byte[15]));
        List<String> messages = new ArrayList<>();
        for (byte[] bad : tampered) {
            SdkClient.Prepared fresh = python.prepare("POST", "/api/v1/tenant", body, python.claims("/api/v1/tenant"));
            SdkClient.Answer refused = send(fresh.withBody(bad));
            assertRefused(refused, 10008, "Common.Unauthorized");
            messages.add(refused.json().getString("error.message"));
        }
        assertEquals(1, messages.stream().distinct().count(), messages::toString);
        assertEquals("OB.Tenant.NotExist", python.get("/api/v1/tenant/au9").errCode());
    }

    @Test
    @Order(8)
    void everyHeaderDecodingFailureGetsTheSameAnswer() {
        SdkClient.Prepared request = python.prepare("GET", UNFINISHED, null, python.claims(UNFINISHED));
        byte[] randomBlock = new byte[256];
        new SecureRandom().nextBytes(randomBlock);
        List<String> badHeaders = List.of(
                "%%% not base64 %%%",
                "",
                Base64.getEncoder().encodeToString(randomBlock),
                Base64.getEncoder().encodeToString(new byte[100]),
                python.encryptHeader("not json at all"),
                python.encryptHeader("[\"auth\", \"ts\"]"),
                python.encryptHeader("{\"auth\": \"a\", \"Auth\": \"b\"}"),
                python.encryptHeader("{\"auth\": 5, \"ts\": \"1\", \"uri\": \"/\", \"keys\": null}"),
                python.encryptHeader("{\"auth\": \"\"} trailing"));
        List<String> errors = new ArrayList<>();
        for (String header : badHeaders) {
            SdkClient.Answer refused = send(request.withHeaderValue(header));
            assertRefused(refused, 1, "Security.Authentication.Header.DecryptFailed");
            errors.add(refused.json().getMap("error").toString());
        }
        assertEquals(1, errors.stream().distinct().count(), errors::toString);
    }

    @Test
    @Order(9)
    void openRoutesNeedNoHeaderAndTheOthersDo() {
        SdkClient.Answer missing = SdkClient.unauthenticatedGet(base, UNFINISHED);
        assertEquals(400, missing.status());
        assertEquals("Request.Header.NotFound", missing.errCode());
        badRequest().get("/api/v1/tenant/nobody").then()
                .statusCode(400).body("error.errCode", equalTo("Request.Header.NotFound"));
        // spellings that Vert.x normalises to a protected route stay protected
        for (String odd : List.of("//api/v1/task/dag/unfinish", "/api//v1/task/dag/unfinish", "/api/v1/task/dag/unfinish/",
                "/api/v1/./task/dag/unfinish", "/x/../api/v1/task/dag/unfinish", "/%61pi/v1/task/dag/unfinish",
                "/api/v1/info/../task/dag/unfinish", "/API/v1/task/dag/unfinish", "/api/v1/task/dag/unfinish;x=1")) {
            String errCode = SdkClient.unauthenticatedGet(base, odd).errCode();
            assertTrue(List.of("Request.Header.NotFound", "Common.NotFound").contains(errCode), odd + ": " + errCode);
        }
        api().get("/api/v1/info").then().statusCode(200);
        api().get("/api/v1/secret").then().statusCode(200);
        badRequest().get("/api/v1/no/such/route").then().statusCode(404);
    }

    @Test
    @Order(10)
    void theKeySurvivesARestart() throws Exception {
        AgentKeyStore reloaded = new AgentKeyStore();
        reloaded.service = config;
        reloaded.config = authConfig;
        reloaded.load();
        String served = api().get("/api/v1/secret").then().extract().path("data.public_key");
        assertEquals(served, reloaded.publicKeyPkcs1());
        Path file = reloaded.keyFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    @Order(11)
    void fullBackupEndToEndThroughTheSdkClients() throws Exception {
        SdkBackupFlow.fullBackupChecked(python, go, config.dataDir(), TENANT, TENANT_ROOT_PASSWORD,
                config.dataDir().resolveSibling(config.dataDir().getFileName() + "-authdest"));
    }

    @Test
    @Order(12)
    void theLogHasNoPasswordHeaderOrBody() throws Exception {
        String log = Files.readString(Path.of(AuthProfile.LOG_FILE), StandardCharsets.UTF_8);
        assertTrue(log.contains("Authentication failed from 127.0.0.1 on POST /api/v1/tenant"), "log not captured");
        assertTrue(log.contains("/api/v1/tenant/" + TENANT + "/backup"), "access log not captured");
        assertFalse(log.contains(AuthProfile.PASSWORD), "root password in the log");
        assertFalse(log.contains(TENANT_ROOT_PASSWORD), "decrypted body in the log");
        assertFalse(log.contains(GO_RESTORE_PASSWORD), "restore password in the log");
        assertFalse(log.contains("BEGIN PRIVATE KEY"), "private key in the log");
        for (String header : sentHeaders) {
            assertFalse(log.contains(header.substring(0, Math.min(header.length(), 40))), "header in the log");
        }
    }

    private SdkClient.Answer send(SdkClient.Prepared request) {
        if (request.headerValue() != null && request.headerValue().length() > 40) {
            sentHeaders.add(request.headerValue());
        }
        return request.send();
    }

    private static void assertRefused(SdkClient.Answer answer, int code, String errCode) {
        assertEquals(errCode, answer.errCode(), () -> answer.json().prettify());
        assertEquals(errCode.equals("Request.Header.NotFound") ? 400 : 401, answer.status());
        assertEquals(code, answer.code());
        assertEquals(false, answer.json().getBoolean("successful"));
    }
}
