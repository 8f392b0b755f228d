package io.tenantbackup.ops.health;

import io.tenantbackup.tenant.Tenant;
import io.tenantbackup.tenant.TenantOwnership;
import io.tenantbackup.tenant.TenantService;
import io.tenantbackup.tenant.TenantStatus;
import io.tenantbackup.tenant.TenantSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.Set;

/**
 * Reports NORMAL tenants whose mariadbd is not running. It stays UP on purpose: readiness is about the service
 * taking requests, and a down tenant neither stops it from serving the others nor gets better by taking the pod out
 * of the Service (the supervisor restarts the instance). Alert on {@code tenant_backup_tenant_up == 0} instead.
 */
@Readiness
@ApplicationScoped
public class TenantInstancesHealthCheck implements HealthCheck {

    @Inject
    TenantService tenants;
    @Inject
    TenantSupervisor supervisor;
    @Inject
    TenantOwnership ownership;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Tenant instances").up();
        try {
            Set<String> hostedHere = ownership.ownedHere(); // another agent reports its own tenants
            List<String> normal = tenants.list().stream()
                    .filter(tenant -> tenant.status() == TenantStatus.NORMAL && hostedHere.contains(tenant.name()))
                    .map(Tenant::name)
                    .toList();
            List<String> down = normal.stream().filter(name -> !supervisor.isUp(name)).toList();
            return response.withData("tenants", normal.size())
                    .withData("down", down.size())
                    .withData("down_tenants", String.join(",", down))
                    .build();
        } catch (RuntimeException e) {
            return response.withData("error", "cannot list tenants: " + e.getMessage()).build();
        }
    }
}
