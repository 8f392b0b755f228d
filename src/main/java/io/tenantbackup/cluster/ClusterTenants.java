package io.tenantbackup.cluster;

import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.tenantbackup.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * "The cluster": every NORMAL tenant of this service. A cluster DAG names its tenants in a parameter when it is
 * created, so tenants created later are not touched by it.
 */
@ApplicationScoped
class ClusterTenants {

    static final String TENANTS_PARAM = "tenants";

    @Inject
    TenantService tenants;

    List<TenantInstance> all() {
        return tenants.normalInstances();
    }

    /** Every tenant; none is 400 OB.Backup.NoUserTenants. */
    List<TenantInstance> requireAny() {
        List<TenantInstance> all = all();
        if (all.isEmpty()) {
            throw ClusterErrors.NO_USER_TENANTS.exception("There is no user tenant: create one with POST /api/v1/tenant");
        }
        return all;
    }

    /** A tenant named by a DAG, as it is now (400 OB.Tenant.NotExist when it was dropped meanwhile). */
    TenantInstance current(String name) {
        return tenants.requireNormal(name);
    }

    static void put(Map<String, String> params, List<TenantInstance> tenants) {
        params.put(TENANTS_PARAM, String.join(",", tenants.stream().map(TenantInstance::name).toList()));
    }

    /** Tenant names cannot hold a comma ({@code [A-Za-z0-9_]}), so a comma list is unambiguous. */
    static List<String> names(TaskContext context) {
        return Arrays.asList(context.requiredParam(TENANTS_PARAM).split(","));
    }
}
