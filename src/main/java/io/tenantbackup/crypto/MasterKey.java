package io.tenantbackup.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The 256-bit key of one backup set, derived from its password. It never leaves memory: files get their own segment
 * keys (HKDF over a per-file salt and the file's name), and the manifest gets only {@link #keyCheck()}, an HMAC of a
 * fixed label under a separate subkey, which tells a wrong password apart before anything is decrypted.
 */
public final class MasterKey implements AutoCloseable {

    static final int LENGTH = 32;
    private static final byte[] KEY_CHECK_INFO = "tenant-backup/key-check/v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY_CHECK_LABEL = "tenant-backup key check".getBytes(StandardCharsets.UTF_8);
    private static final String SEGMENT_KEY_INFO = "tenant-backup/segment-key/v1/";
    private static final byte[] WRAPPING_KEY_INFO = "tenant-backup/wrapping-key/v1".getBytes(StandardCharsets.UTF_8);

    /** The key bytes, or their derivation still running: every use waits for it, {@link #close()} does not. */
    private final CompletableFuture<byte[]> key;

    MasterKey(byte[] key) {
        this.key = CompletableFuture.completedFuture(key.clone());
    }

    private MasterKey(CompletableFuture<byte[]> key) {
        this.key = key;
    }

    /**
     * A key whose bytes {@code derivation} computes on a thread of its own, so that a slow derivation (Argon2id) runs
     * while the caller starts its work; the first use of the key waits for it and rethrows its failure.
     */
    static MasterKey derivedConcurrently(String threadName, Supplier<byte[]> derivation) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                bytes.complete(derivation.get());
            } catch (RuntimeException | Error e) {
                bytes.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return new MasterKey(bytes);
    }

    /** Hex HMAC-SHA256 of a fixed label under a subkey: safe to publish, equal only for the same key. */
    public String keyCheck() {
        byte[] subkey = hkdf(null, KEY_CHECK_INFO);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subkey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(KEY_CHECK_LABEL));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK has no HmacSHA256", e);
        } finally {
            Arrays.fill(subkey, (byte) 0);
        }
    }

    /** Whether {@code expected} (from a manifest) is this key's check value; compared in constant time. */
    public boolean matches(String expected) {
        return MessageDigest.isEqual(keyCheck().getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }

    /** The AES-256 key of one file's segments; binding the name means a file renamed in storage fails to decrypt. */
    SecretKeySpec segmentKey(byte[] fileSalt, String fileName) {
        byte[] derived = hkdf(fileSalt, (SEGMENT_KEY_INFO + fileName).getBytes(StandardCharsets.UTF_8));
        try {
            return new SecretKeySpec(derived, "AES");
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** The AES-256 key that wraps data keys under this key (a key-encryption key), apart from its segment keys. */
    SecretKeySpec wrappingKey() {
        byte[] derived = hkdf(null, WRAPPING_KEY_INFO);
        try {
            return new SecretKeySpec(derived, "AES");
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    private byte[] hkdf(byte[] salt, byte[] info) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(bytes(), salt, info));
        byte[] out = new byte[LENGTH];
        generator.generateBytes(out, 0, LENGTH);
        return out;
    }

    private byte[] bytes() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return key.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("The key derivation failed: " + e.getCause(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Clears the key now, or as soon as a derivation still running ends. */
    @Override
    public void close() {
        key.thenAccept(bytes -> Arrays.fill(bytes, (byte) 0));
    }

    @Override
    public String toString() {
        return "MasterKey[hidden]";
    }
}
