package io.tenantbackup.tenant;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Root passwords of tenants being created, held in memory only between the request and the "Initialize tenant"
 * node, because DAG parameters are persisted and shown. Lost on restart by design: that node then fails clearly.
 */
@ApplicationScoped
public class PendingSecrets {

    static final Duration LIFETIME = Duration.ofHours(1);

    private final Map<String, Secret> byTenant = new ConcurrentHashMap<>();

    void put(String tenant, String password) {
        byTenant.put(tenant, new Secret(password, Instant.now().plus(LIFETIME)));
    }

    /** The tenant's secret, removed on the way out; empty if there is none or it has expired. */
    Optional<String> take(String tenant) {
        return Optional.ofNullable(byTenant.remove(tenant))
                .filter(secret -> Instant.now().isBefore(secret.expiresAt()))
                .map(Secret::password);
    }

    void discard(String tenant) {
        byTenant.remove(tenant);
    }

    private record Secret(String password, Instant expiresAt) {
        @Override
        public String toString() {
            return "Secret[expiresAt=" + expiresAt + "]";
        }
    }
}
