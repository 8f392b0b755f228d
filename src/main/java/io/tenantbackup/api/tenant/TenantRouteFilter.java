package io.tenantbackup.api.tenant;

import io.tenantbackup.tenant.TenantService;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * obshell checks the {name} of every /api/v1/tenant/{name}/... route (empty, sys, unknown) before it reads the
 * body, so a bad tenant is reported as such even when the body is bad too. Filters run before the body is read.
 * A route marked {@link ReadsItsRouteTenant} makes the same check in its own statement.
 */
public class TenantRouteFilter {

    private static final String TENANT_ROUTE = "/api/v1/tenant/";

    @Inject
    TenantService tenants;

    /** obshell answers a cancel of an unknown tenant's restore with 204 (nothing to cancel), not 400. */
    private static boolean isRestoreCancel(ContainerRequestContext request) {
        return "DELETE".equals(request.getMethod()) && request.getUriInfo().getPath().endsWith("/restore");
    }

    @ServerRequestFilter
    public void checkTenant(ContainerRequestContext request, ResourceInfo resource) {
        String name = request.getUriInfo().getPathParameters().getFirst("name");
        if (name != null && request.getUriInfo().getPath().startsWith(TENANT_ROUTE) && !isRestoreCancel(request)
                && !resource.getResourceMethod().isAnnotationPresent(ReadsItsRouteTenant.class)) {
            tenants.checkRoute(name);
        }
    }
}
