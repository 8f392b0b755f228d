package io.tenantbackup.api.lifecycle;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.LifecycleApi;
import io.tenantbackup.api.task.TaskDtoMapper;
import io.tenantbackup.lifecycle.ExpiryService;
import io.tenantbackup.tenant.TenantService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

public class LifecycleResource implements LifecycleApi {

    @Inject
    TenantService tenants;

    @Inject
    ExpiryService expiry;

    @Inject
    TaskDtoMapper dags;

    @Override
    public Response expireTenantBackups(String name) {
        return Envelopes.ok(dags.summary(expiry.submit(tenants.requireNormal(name))));
    }
}
