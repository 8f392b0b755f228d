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

    /** Parameters for a new set: 64 MiB, 3 passes, 1 lane (OWASP's second choice), random salt. */
    public static PasswordKdf fresh() {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return new PasswordKdf(ARGON2ID, Argon2Parameters.ARGON2_VERSION_13, 64 * 1024, 3, 1,
                Base64.getEncoder().encodeToString(salt));
    }

    /** Derives the set's master key; the caller owns the password array and clears it. */
    public MasterKey derive(char[] password) {
        if (!ARGON2ID.equals(algorithm)) {
            throw new IllegalArgumentException("Unknown key derivation '" + algorithm + "'; expected " + ARGON2ID);
        }
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
            return new MasterKey(key);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
            Arrays.fill(key, (byte) 0);
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
