package io.tenantbackup.cluster;

import io.tenantbackup.archive.ArchiveLogService;
import io.tenantbackup.archive.ArchiveStatus;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** {@code PATCH /api/v1/obcluster/backup/log}: the tenant archive switch for every tenant, all checked first. */
@ApplicationScoped
public class ClusterArchiveLogService {

    @Inject
    ClusterTenants tenants;

    @Inject
    ArchiveLogService archive;

    public void setStatus(String status) {
        ArchiveStatus requested = ArchiveLogService.requestedStatus(status);
        List<TenantInstance> all = tenants.all();
        all.forEach(tenant -> archive.check(tenant, requested));
        all.forEach(tenant -> archive.setStatus(tenant, requested.name()));
    }
}
