package io.tenantbackup.auth;

import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key file: generated once with owner-only access, reloaded unchanged, replaced to rotate, refused when weak. */
class AgentKeyStoreTest {

    private final Path dir = createDir();

    @AfterEach
    void removeDir() throws Exception {
        TestTenant.deleteTree(dir);
    }

    @Test
    void aGeneratedKeyIsPrivateAndReloadedAfterARestart() throws Exception {
        Path file = dir.resolve(".agent/agent-key.pem");
        String first = store(file).publicKeyPkcs1();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(first, store(file).publicKeyPkcs1());
        assertTrue(first.startsWith("MIIBCgKCAQEA"), "2048-bit PKCS#1: " + first);
    }

    @Test
    void removingTheFileRotatesTheKey() throws Exception {
        Path file = dir.resolve("agent-key.pem");
        String first = store(file).publicKeyPkcs1();
        Files.delete(file);
        assertNotEquals(first, store(file).publicKeyPkcs1());
    }

    @Test
    void aKeyOthersCanReadOrAWeakKeyIsRefused() throws Exception {
        Path file = dir.resolve("agent-key.pem");
        store(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(assertThrows(RuntimeException.class, () -> store(file)).getMessage().contains("chmod 600"));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(file, pem);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(RuntimeException.class, () -> store(file)).getMessage().contains("1024 bits"));
    }

    private static AgentKeyStore store(Path file) {
        AgentKeyStore store = new AgentKeyStore();
        store.config = new AuthConfig() {
            @Override
            public Duration maxLifetime() {
                return Duration.ofMinutes(5);
            }

            @Override
            public Duration clockSkew() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Optional<Path> keyFile() {
                return Optional.of(file);
            }

            @Override
            public int keyBits() {
                return 2048;
            }
        };
        store.load();
        return store;
    }

    private static Path createDir() {
        try {
            return Files.createTempDirectory(Path.of("/tmp"), "tb-au-key");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
