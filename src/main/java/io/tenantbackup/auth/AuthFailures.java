package io.tenantbackup.auth;

import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.ops.metrics.AuthFailureMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts and logs refused authentication attempts: client address, route and error code only, never what the
 * request carried; exported as tenant_backup_auth_failures_total by the matched operation (the contract's
 * operationId), a label that never carries request data.
 */
@ApplicationScoped
public class AuthFailures {

    private static final Logger LOG = Logger.getLogger(AuthFailures.class);

    private final AtomicLong failures = new AtomicLong();

    @Inject
    AuthFailureMetrics metrics;

    /** Refused attempts since the service started. */
    public long failures() {
        return failures.get();
    }

    void record(String clientAddress, String method, String path, String operation, ErrorCode code) {
        failures.incrementAndGet();
        metrics.record(operation);
        LOG.warnf("Authentication failed from %s on %s %s: %s", clientAddress, method, path, code.errCode());
    }
}
