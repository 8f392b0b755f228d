package io.tenantbackup.crypto;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Argon2id parameters of one backup set, as its manifest records them (never the password or the key). A fresh
 * random salt per set means two sets with the same password still have unrelated keys.
 */
public record PasswordKdf(
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("version") int version,
        @JsonProperty("memory_kib") int memoryKib,
        @JsonProperty("iterations") int iterations,
        @JsonProperty("parallelism") int parallelism,
        @JsonProperty("salt") String salt) {

    public static final String ARGON2ID = "argon2id";
    private static final int SALT_BYTES = 16;
    /**
     * What a manifest may ask for (it is untrusted input): new sets use 64 MiB, 3 passes, 1 lane; the bounds leave
     * room for stronger settings while one derivation stays under about a second and 256 MiB.
     */
    static final int MIN_MEMORY_KIB = 1024;
    static final int MAX_MEMORY_KIB = 256 * 1024;
    static final int MAX_ITERATIONS = 10;
    static final int MAX_PARALLELISM = 4;
    private static final int MAX_SALT_BYTES = 64;

    /** Parameters for a new set: 64 MiB, 3 passes, 1 lane (OWASP's second choice), random salt. */
    public static PasswordKdf fresh() {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return new PasswordKdf(ARGON2ID, Argon2Parameters.ARGON2_VERSION_13, 64 * 1024, 3, 1,
                Base64.getEncoder().encodeToString(salt));
    }

    /** Refuses parameters outside fixed bounds, naming the first one, before any memory or time is spent. */
    public void requireWithinBounds() {
        if (!ARGON2ID.equals(algorithm)) {
            throw new IllegalArgumentException("Unknown key derivation '" + algorithm + "'; expected " + ARGON2ID);
        }
        requireRange("version", version, Argon2Parameters.ARGON2_VERSION_10, Argon2Parameters.ARGON2_VERSION_13);
        requireRange("memory_kib", memoryKib, MIN_MEMORY_KIB, MAX_MEMORY_KIB);
        requireRange("iterations", iterations, 1, MAX_ITERATIONS);
        requireRange("parallelism", parallelism, 1, MAX_PARALLELISM);
        int saltBytes;
        try {
            saltBytes = salt == null ? 0 : Base64.getDecoder().decode(salt).length;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("KDF salt is not base64");
        }
        requireRange("salt length", saltBytes, SALT_BYTES, MAX_SALT_BYTES);
    }

    /** Derives the set's master key; the caller owns the password array and clears it. */
    public MasterKey derive(char[] password) {
        byte[] key = deriveBytes(password);
        try {
            return new MasterKey(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The same key, derived on a thread of its own while the caller goes on (Argon2id costs 0.3-1 s of one core, once
     * per key): the first use of the key waits for it. Works on a copy of {@code password}, cleared when done; the
     * caller still owns and clears its array. Also starts {@link AesGcmWarmUp}, since an encrypted stream follows.
     */
    public MasterKey deriveConcurrently(char[] password) {
        requireWithinBounds();
        AesGcmWarmUp.start();
        char[] copy = password.clone();
        return MasterKey.derivedConcurrently("argon2id-key-derivation", () -> {
            try {
                return deriveBytes(copy);
            } finally {
                Arrays.fill(copy, '\0');
            }
        });
    }

    private byte[] deriveBytes(char[] password) {
        requireWithinBounds();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(version)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(Base64.getDecoder().decode(salt))
                .build());
        byte[] passwordBytes = utf8(password);
        byte[] key = new byte[MasterKey.LENGTH];
        try {
            generator.generateBytes(passwordBytes, key);
            return key;
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("KDF " + field + " " + value + " is outside " + min + ".." + max);
        }
    }

    private static byte[] utf8(char[] password) {
        var encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(encoded.array(), (byte) 0);
        return bytes;
    }
}
