package io.tenantbackup.auth;

import io.quarkus.runtime.Startup;
import io.tenantbackup.ServiceConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.jboss.logging.Logger;

import javax.crypto.Cipher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The agent's RSA key pair, generated once and kept in a PKCS#8 PEM file that only the service user may read
 * (like the tenants' agent.cnf under the same data directory). A file rather than the metadata database: an
 * encrypted key in the database would need a key-encryption key, which would itself be a file on this host.
 * Rotation: replace or remove the file and restart (see README); SDKs holding the old public key get code 1 and
 * fetch the new one.
 */
@ApplicationScoped
@Startup
public class AgentKeyStore {

    static final int MIN_KEY_BITS = 2048;
    private static final Logger LOG = Logger.getLogger(AgentKeyStore.class);
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Inject
    ServiceConfig service;

    @Inject
    AuthConfig config;

    private RSAPrivateCrtKey privateKey;

    @PostConstruct
    void load() {
        Path file = keyFile();
        try {
            if (!Files.exists(file)) {
                generate(file);
            }
            privateKey = read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load the agent key " + file + ": " + e.getMessage(), e);
        }
        if (privateKey.getModulus().bitLength() < MIN_KEY_BITS) {
            throw new IllegalStateException("The agent key " + file + " has " + privateKey.getModulus().bitLength()
                    + " bits; at least " + MIN_KEY_BITS + " are required");
        }
    }

    Path keyFile() {
        return config.keyFile().orElseGet(() -> service.dataDir().resolve(".agent").resolve("agent-key.pem"));
    }

    /** Standard base64 of the DER PKCS#1 RSAPublicKey, the form obshell publishes (the Go SDK rejects SPKI). */
    public String publicKeyPkcs1() {
        try {
            byte[] der = new RSAPublicKey(privateKey.getModulus(), privateKey.getPublicExponent()).getEncoded();
            return Base64.getEncoder().encodeToString(der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decrypts RSA PKCS#1 v1.5 blocks of the modulus size, concatenated; any failure is a GeneralSecurityException. */
    byte[] decryptBlocks(byte[] ciphertext) throws GeneralSecurityException {
        int blockSize = (privateKey.getModulus().bitLength() + 7) / 8;
        if (ciphertext.length == 0 || ciphertext.length % blockSize != 0) {
            throw new GeneralSecurityException("ciphertext is not a whole number of blocks");
        }
        Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        cipher.init(Cipher.DECRYPT_MODE, privateKey);
        ByteArrayOutputStream plain = new ByteArrayOutputStream(ciphertext.length);
        for (int offset = 0; offset < ciphertext.length; offset += blockSize) {
            plain.writeBytes(cipher.doFinal(ciphertext, offset, blockSize));
        }
        return plain.toByteArray();
    }

    private void generate(Path file) throws IOException {
        int bits = Math.max(config.keyBits(), MIN_KEY_BITS);
        byte[] der;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            der = generator.generateKeyPair().getPrivate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an RSA-" + bits + " key", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path temp = Files.createTempFile(dir, ".agent-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            String pem = PEM_BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) + "\n"
                    + PEM_END + "\n";
            Files.writeString(temp, pem, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        LOG.infof("Generated a new RSA-%d agent key in %s", bits, file);
    }

    private static RSAPrivateCrtKey read(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IOException("it is readable by others (" + PosixFilePermissions.toString(permissions)
                    + "); run chmod 600 on it");
        }
        String pem = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (!pem.startsWith(PEM_BEGIN) || !pem.endsWith(PEM_END)) {
            throw new IOException("it is not a PKCS#8 PEM private key (" + PEM_BEGIN + ")");
        }
        String body = pem.substring(PEM_BEGIN.length(), pem.length() - PEM_END.length());
        try {
            byte[] der = Base64.getMimeDecoder().decode(body);
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IOException("it is not an RSA private key", e);
        }
    }
}
