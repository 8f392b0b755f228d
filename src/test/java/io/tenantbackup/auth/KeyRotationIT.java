package io.tenantbackup.auth;

import io.tenantbackup.it.ServiceProcess;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The README's key rotation, done as it says on the packaged service: stop it, replace the key file with one made by
 * openssl (or delete it), start it again. SDK clients still holding the old public key get a 401 with code 1 (on
 * which both SDKs fetch /api/v1/secret again); a client that fetched the new key is served.
 */
class KeyRotationIT {

    private static final Path DATA_DIR = Path.of("/tmp/tbt-restorefail-keys");
    private static final String DB = "tenant_backup_it_restorefail_keys";
    private static final String PASSWORD = "rotation-root-pw";
    private static final String ROUTE = "/api/v1/task/dag/unfinish";

    private static ServiceProcess service;

    @BeforeAll
    static void startService() throws Exception {
        TestTenant.deleteTree(DATA_DIR);
        service = ServiceProcess.startFresh(DATA_DIR, DB, Path.of("target/it-key-rotation.log"),
                Map.of("TENANT_BACKUP_ROOT_PASSWORD", PASSWORD));
    }

    @AfterAll
    static void stopService() throws Exception {
        if (service != null) {
            service.close();
        }
        TestTenant.deleteTree(DATA_DIR);
    }

    @Test
    void aReplacedOrDeletedKeyIsServedAfterARestartAndOldClientsGetCodeOne() throws Exception {
        Path keyFile = DATA_DIR.resolve(".agent").resolve("agent-key.pem");
        SdkClient python = SdkClient.python(service.baseUri(), PASSWORD);
        SdkClient go = SdkClient.go(service.baseUri(), PASSWORD);
        assertEquals(200, python.get(ROUTE).status());
        String firstKey = publicKey();

        service.close();
        Path replacement = DATA_DIR.resolve("new-key.pem");
        run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out",
                replacement.toString());
        Files.setPosixFilePermissions(replacement, PosixFilePermissions.fromString("rw-------"));
        Files.move(replacement, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        service.start();

        String replacedKey = publicKey();
        assertNotEquals(firstKey, replacedKey, "the replaced key file is not the one served");
        assertEquals(3072, SdkClient.fetchPublicKey(service.baseUri()).getModulus().bitLength());
        assertStale(python.get(ROUTE));
        assertStale(go.get(ROUTE));
        assertEquals(200, SdkClient.python(service.baseUri(), PASSWORD).get(ROUTE).status());
        assertEquals(200, SdkClient.go(service.baseUri(), PASSWORD).get(ROUTE).status());

        service.close();
        Files.delete(keyFile);
        service.start();
        assertNotEquals(replacedKey, publicKey(), "deleting the key file must make a new key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals(200, SdkClient.python(service.baseUri(), PASSWORD).get(ROUTE).status());
    }

    private static void assertStale(SdkClient.Answer answer) {
        assertEquals(401, answer.status(), () -> answer.json().prettify());
        assertEquals(1, answer.code(), "code 1 makes the SDKs fetch the public key again");
    }

    private static String publicKey() {
        return SdkClient.unauthenticatedGet(service.baseUri(), "/api/v1/secret").json().getString("data.public_key");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }
}
