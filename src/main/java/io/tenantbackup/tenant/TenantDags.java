package io.tenantbackup.tenant;

import io.tenantbackup.task.DagTemplate;

/** The tenant operations' DAG templates and their parameter names. Each DAG is exclusive for its tenant. */
final class TenantDags {

    static final String CREATE = "Create tenant";
    static final String DROP = "Drop tenant";

    static final String TENANT_NAME = "tenant_name";
    static final String PORT = "port";

    private TenantDags() {
    }

    static DagTemplate create(String tenant) {
        return DagTemplate.named(CREATE)
                .node("Install tenant instance", InstallTenantInstanceTask.class)
                .node("Start tenant instance", StartTenantInstanceTask.class)
                .node("Initialize tenant", InitializeTenantTask.class)
                .node("Register tenant", RegisterTenantTask.class)
                .exclusiveFor(tenant)
                .build();
    }

    static DagTemplate drop(String tenant) {
        return DagTemplate.named(DROP)
                .node("Stop tenant instance", StopTenantInstanceTask.class)
                .node("Remove tenant directory", RemoveTenantDirectoryTask.class)
                .node("Unregister tenant", UnregisterTenantTask.class)
                .exclusiveFor(tenant)
                .build();
    }
}
