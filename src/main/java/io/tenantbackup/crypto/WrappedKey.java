package io.tenantbackup.crypto;

import com.fasterxml.jackson.annotation.JsonProperty;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A random data key wrapped by a key-encryption key derived from a passphrase (Argon2id), as a manifest records it:
 * the KDF parameters, the key check of the key-encryption key (a wrong passphrase is told apart before anything is
 * decrypted) and the data key under AES-256-GCM ({@code nonce || ciphertext || tag}, base64). Neither the passphrase
 * nor either key can be recovered from it without the passphrase. Changing the passphrase means a new data key.
 */
public record WrappedKey(
        @JsonProperty("kdf") PasswordKdf kdf,
        @JsonProperty("key_check") String keyCheck,
        @JsonProperty("wrapped_key") String wrappedKey) {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] AAD = "tenant-backup/wrapped-data-key/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int WRAPPED_BYTES = NONCE_BYTES + MasterKey.LENGTH + TAG_BITS / 8;

    /** A new random data key and its wrapping under {@code passphrase}; the caller owns the array and the key. */
    public record Sealed(WrappedKey wrapped, MasterKey dataKey) {
    }

    public static Sealed seal(char[] passphrase) {
        SecureRandom random = new SecureRandom();
        byte[] data = new byte[MasterKey.LENGTH];
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(data);
        random.nextBytes(nonce);
        PasswordKdf kdf = PasswordKdf.fresh();
        try (MasterKey kek = kdf.derive(passphrase)) {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, kek.wrappingKey(), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(AAD);
            byte[] sealed = gcm.doFinal(data);
            byte[] wrapped = new byte[WRAPPED_BYTES];
            System.arraycopy(nonce, 0, wrapped, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, wrapped, NONCE_BYTES, sealed.length);
            return new Sealed(new WrappedKey(kdf, kek.keyCheck(), Base64.getEncoder().encodeToString(wrapped)),
                    new MasterKey(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot run AES-GCM", e);
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** Refuses, naming the field, what {@link #seal} never writes (a manifest is untrusted input). */
    public void requireWellFormed() {
        if (kdf == null || keyCheck == null || wrappedKey == null) {
            throw new IllegalArgumentException("the wrapped key needs kdf, key_check and wrapped_key");
        }
        kdf.requireWithinBounds();
        if (!keyCheck.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("key_check is not 64 hex digits");
        }
        if (wrapped().length != WRAPPED_BYTES) {
            throw new IllegalArgumentException("wrapped_key is not " + WRAPPED_BYTES + " bytes of base64");
        }
    }

    /** Whether {@code passphrase} is the one this key was wrapped with (one Argon2id derivation). */
    public boolean opensWith(char[] passphrase) {
        try (MasterKey kek = kdf.derive(passphrase)) {
            return kek.matches(keyCheck);
        }
    }

    /**
     * The data key; a passphrase whose key check does not match is a {@link WrongPasswordException}, a wrapped key
     * that does not authenticate a {@link CorruptArtifactException}. The caller owns the array and the key.
     */
    public MasterKey unwrap(char[] passphrase, String what) throws WrongPasswordException, CorruptArtifactException {
        requireWellFormed();
        try (MasterKey kek = kdf.derive(passphrase)) {
            if (!kek.matches(keyCheck)) {
                throw new WrongPasswordException("Wrong passphrase for " + what + ": its key check does not match");
            }
            byte[] wrapped = wrapped();
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, kek.wrappingKey(), new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            gcm.updateAAD(AAD);
            byte[] data = gcm.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
            try {
                return new MasterKey(data);
            } finally {
                Arrays.fill(data, (byte) 0);
            }
        } catch (javax.crypto.AEADBadTagException e) {
            throw new CorruptArtifactException("The wrapped data key of " + what + " fails its authentication tag");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot run AES-GCM", e);
        }
    }

    private byte[] wrapped() {
        try {
            return Base64.getDecoder().decode(wrappedKey);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
