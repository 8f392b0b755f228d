package io.tenantbackup.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place that decides whether this agent runs scheduled work (expiry) for a tenant. With a single agent it
 * owns every tenant; agent ownership (several agents on one metadata DB) replaces this decision.
 */
@ApplicationScoped
public class TenantOwnership {

    public boolean owns(long tenantId) {
        return true;
    }
}
