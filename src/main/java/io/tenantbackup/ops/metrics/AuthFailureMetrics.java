package io.tenantbackup.ops.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Counts refused authentications as {@code tenant_backup_auth_failures_total{route}}. */
@ApplicationScoped
public class AuthFailureMetrics {

    @Inject
    MeterRegistry registry;

    /**
     * One refused request. {@code route} must name the matched operation (its operationId, e.g.
     * {@code startTenantBackup}), never the raw path or anything from the request: labels are public and must stay
     * few.
     */
    public void record(String route) {
        Counter.builder("tenant_backup.auth.failures")
                .description("Requests refused because their authentication failed")
                .tag("route", route)
                .register(registry)
                .increment();
    }
}
