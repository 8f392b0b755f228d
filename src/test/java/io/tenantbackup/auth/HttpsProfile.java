package io.tenantbackup.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tenantbackup.testing.TestTenant;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The service with a password, HTTPS from a certificate generated here with the JDK's keytool (PEM files given as
 * TENANT_BACKUP_TLS_CERT / TENANT_BACKUP_TLS_KEY), and TLS only: plain HTTP is disabled, on a port chosen here so
 * that the test can show nothing answers on it.
 */
public class HttpsProfile implements QuarkusTestProfile {

    static final String PASSWORD = "tls-Pässwort-2c9e";
    static final Path DIR = Path.of("target/https-test").toAbsolutePath();
    static final Path CERT = DIR.resolve("cert.pem");
    static final Path KEY = DIR.resolve("key.pem");
    private static final char[] STORE_PASSWORD = "keytool-only".toCharArray();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            generateCertificate();
            return Map.of(
                    "tenant-backup.root-password", PASSWORD,
                    "TENANT_BACKUP_TLS_CERT", CERT.toString(),
                    "TENANT_BACKUP_TLS_KEY", KEY.toString(),
                    "quarkus.http.insecure-requests", "disabled",
                    "quarkus.http.test-port", Integer.toString(TestTenant.freePort()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate the test certificate", e);
        }
    }

    /** A self-signed RSA certificate for localhost and 127.0.0.1, valid two days, and its key, as PEM files. */
    private static void generateCertificate() throws Exception {
        Files.createDirectories(DIR);
        Path store = DIR.resolve("keystore.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "tenant-backup", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD);
        }
        Certificate certificate = keys.getCertificate("tenant-backup");
        Key key = keys.getKey("tenant-backup", STORE_PASSWORD);
        Files.writeString(CERT, pem("CERTIFICATE", certificate.getEncoded()));
        Files.deleteIfExists(KEY);
        Files.createFile(KEY, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(KEY, pem("PRIVATE KEY", key.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
