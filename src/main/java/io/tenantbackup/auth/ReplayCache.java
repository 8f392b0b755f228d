package io.tenantbackup.auth;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens of accepted headers, each kept until the header could no longer pass the time check, so a captured header
 * works once. Every SDK request (retries too) carries a fresh header: AES key, IV and RSA padding are random.
 */
@ApplicationScoped
public class ReplayCache {

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();

    /** True the first time a token is seen; it is then remembered until {@code expiresAtSecond}. */
    boolean firstUse(String token, long expiresAtSecond) {
        return expiries.putIfAbsent(token, expiresAtSecond) == null;
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetExpired() {
        long now = System.currentTimeMillis() / 1000;
        expiries.values().removeIf(expiry -> expiry < now);
    }
}
