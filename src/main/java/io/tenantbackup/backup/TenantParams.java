package io.tenantbackup.backup;

import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Carries the tenant a DAG works on in its parameters, so tasks need no tenant lookup when they run. */
final class TenantParams {

    static final String ID = "tenant_id";
    static final String NAME = "tenant_name";
    static final String PORT = "tenant_port";
    static final String HOME = "tenant_home";

    private TenantParams() {
    }

    static Map<String, String> of(TenantInstance tenant) {
        Map<String, String> params = new HashMap<>();
        params.put(ID, Long.toString(tenant.id()));
        params.put(NAME, tenant.name());
        params.put(PORT, Integer.toString(tenant.port()));
        params.put(HOME, tenant.layout().home().toString());
        return params;
    }

    static TenantInstance from(TaskContext context) {
        return new TenantInstance(Long.parseLong(context.requiredParam(ID)), context.requiredParam(NAME),
                Integer.parseInt(context.requiredParam(PORT)), new MariaDbLayout(Path.of(context.requiredParam(HOME))));
    }

    /** "t1(1002)", as obshell names a tenant in messages. */
    static String label(TenantInstance tenant) {
        return tenant.name() + "(" + tenant.id() + ")";
    }
}
