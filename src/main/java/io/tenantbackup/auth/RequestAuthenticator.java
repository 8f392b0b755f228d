package io.tenantbackup.auth;

import io.tenantbackup.ServiceConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * obshell's auth v2 checks, hardened: the header decodes (RSA blocks, JSON), names this request target, has not
 * expired and does not live longer than allowed, carries the password, and was never accepted before; then the
 * body decrypts to JSON. Every header decoding failure answers the same 401 (code 1), so nothing tells a padding
 * failure from a JSON one. Without a configured password any {@code auth} passes, the other checks stay.
 */
@ApplicationScoped
public class RequestAuthenticator {

    static final String HEADER = "X-OCS-Header";
    static final String AGENT_HEADER = "X-OCS-Agent-Header";
    static final Duration MIN_LIFETIME = Duration.ofSeconds(60);
    static final Duration MAX_SKEW = Duration.ofSeconds(60);

    @Inject
    ServiceConfig service;

    @Inject
    AuthConfig config;

    @Inject
    AgentKeyStore keys;

    @Inject
    ReplayCache replays;

    @PostConstruct
    void checkSettings() {
        if (config.maxLifetime().compareTo(MIN_LIFETIME) < 0) {
            throw new IllegalStateException("tenant-backup.auth.max-lifetime must be at least " + MIN_LIFETIME.toSeconds()
                    + " s (the SDKs' default lifetime), not " + config.maxLifetime().toSeconds() + " s");
        }
        if (config.clockSkew().isNegative() || config.clockSkew().compareTo(MAX_SKEW) > 0) {
            throw new IllegalStateException("tenant-backup.auth.clock-skew must be between 0 and "
                    + MAX_SKEW.toSeconds() + " s, not " + config.clockSkew().toSeconds() + " s");
        }
    }

    /** Whether requests to protected routes must carry a header: only when a password is configured. */
    boolean passwordRequired() {
        return password().isPresent();
    }

    /**
     * Decodes and checks a header received at {@code receivedAtMillis} for the raw request target (path, and
     * {@code ?query} as sent). Throws the obshell error to answer.
     */
    AuthHeader verify(String headerName, String headerValue, String requestTarget, long receivedAtMillis) {
        byte[] ciphertext;
        AuthHeader header;
        try {
            ciphertext = BodyDecryptor.decodeBase64(headerValue.getBytes(StandardCharsets.US_ASCII));
            header = AuthHeader.parse(keys.decryptBlocks(ciphertext));
        } catch (GeneralSecurityException | IOException e) {
            throw AuthErrors.HEADER_DECRYPT_FAILED.exception("Decrypt http header failed");
        }
        if (!header.uri().equals(requestTarget)) {
            throw AuthErrors.URI_MISMATCH.exception("URI mismatch");
        }
        long expiresAt = checkTime(header.ts(), receivedAtMillis / 1000);
        checkPassword(headerName, header.auth());
        // both recorded (no short circuit): the keys also catch a header spliced from RSA blocks of captured ones
        boolean fresh = replays.firstUse("header:" + sha256(ciphertext), expiresAt)
                & (header.keys() == null || replays.firstUse("keys:" + header.keys(), expiresAt));
        if (!fresh) {
            throw AuthErrors.REPLAYED.exception("Unauthorized: this authentication header was already used");
        }
        return header;
    }

    /** The JSON body of a request whose header passed {@link #verify}; {@code base64Body} is not empty. */
    byte[] decryptBody(AuthHeader header, byte[] base64Body) {
        try {
            return BodyDecryptor.decrypt(header.keys(), base64Body);
        } catch (GeneralSecurityException | IOException e) {
            throw AuthErrors.BODY_DECRYPT_FAILED.exception("Unauthorized: decrypt request body failed");
        }
    }

    /** Returns the second until which the header must be remembered as used. */
    private long checkTime(String ts, long nowSecond) {
        long expiry;
        try {
            expiry = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw AuthErrors.TIMESTAMP_INVALID.exception("Unauthorized: invalid timestamp");
        }
        long skew = config.clockSkew().toSeconds();
        if (expiry < nowSecond - skew) {
            throw AuthErrors.EXPIRED.exception("Unauthorized: Authentication expired");
        }
        long maxLifetime = config.maxLifetime().toSeconds();
        if (expiry > nowSecond + maxLifetime + skew) {
            throw AuthErrors.TIMESTAMP_INVALID.exception("Unauthorized: the authentication lifetime exceeds the"
                    + " maximum of " + maxLifetime + " s");
        }
        return expiry + skew;
    }

    private void checkPassword(String headerName, String auth) {
        Optional<String> expected = password();
        if (expected.isEmpty()) {
            return;
        }
        if (MessageDigest.isEqual(sha256Bytes(auth), sha256Bytes(expected.get()))) {
            return;
        }
        if (AGENT_HEADER.equalsIgnoreCase(headerName)) {
            throw AuthErrors.INCORRECT_AGENT_PASSWORD.exception("Unauthorized: agent password is incorrect");
        }
        throw AuthErrors.INCORRECT_PASSWORD.exception("Unauthorized: OceanBase password is incorrect");
    }

    private Optional<String> password() {
        return service.rootPassword().filter(p -> !p.isEmpty());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Bytes(bytes));
    }

    /** Digests of equal length, so comparing them reveals neither content nor length of the password. */
    private static byte[] sha256Bytes(String text) {
        return sha256Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
