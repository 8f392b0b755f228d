package io.tenantbackup.tenant;

import io.tenantbackup.engine.mariadb.MariaDbServer;
import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates the tenant's data directory with mariadb-install-db below $TENANT_BACKUP_DATA_DIR/&lt;name&gt;. */
@ApplicationScoped
public class InstallTenantInstanceTask extends CreateTenantStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        TenantEntity tenant = tenant(context);
        context.log("Installing tenant '" + tenant.name + "' into " + tenant.layout().home());
        new MariaDbServer(tenant.layout()).install(context::log);
    }
}
