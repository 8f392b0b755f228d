package io.tenantbackup.auth;

import io.tenantbackup.error.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts and logs refused authentication attempts: client address, route and error code only, never what the
 * request carried. The count is what a metric will export.
 */
@ApplicationScoped
public class AuthFailures {

    private static final Logger LOG = Logger.getLogger(AuthFailures.class);

    private final AtomicLong failures = new AtomicLong();

    /** Refused attempts since the service started. */
    public long failures() {
        return failures.get();
    }

    void record(String clientAddress, String method, String path, ErrorCode code) {
        failures.incrementAndGet();
        LOG.warnf("Authentication failed from %s on %s %s: %s", clientAddress, method, path, code.errCode());
    }
}
