package io.tenantbackup.restore;

import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.tenantbackup.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Runs {@code mariadb-upgrade} when the backup was taken by another major.minor version than the server now running
 * it; otherwise says there is nothing to do. The tenant is already NORMAL: a failure here leaves it registered.
 */
@ApplicationScoped
public class UpgradeTenantTask extends RestoreStep {

    @Inject
    TenantService tenants;

    @Override
    public void execute(TaskContext context) throws Exception {
        String tenant = tenant(context);
        String backupServer = context.param(RestoreDags.BACKUP_SERVER).orElse(null);
        if (backupServer == null) {
            String[] chain = context.requiredParam(RestoreDags.CHAIN).split(",");
            backupServer = BackupSets.in(context.requiredParam(RestoreDags.DATA_URI))
                    .read(chain[chain.length - 1]).manifest().toolVersions().server();
        }
        String running = context.output(WaitRestoreTaskFinishTask.RUNNING_SERVER).orElse(null);
        if (running == null) {
            running = runningVersion(tenants.requireNormal(tenant));
        }
        if (majorMinor(running).equals(majorMinor(backupServer))) {
            context.log("Tenant '" + tenant + "': backup taken by " + backupServer + ", now running " + running
                    + "; no upgrade needed");
            return;
        }
        context.log("Tenant '" + tenant + "': backup taken by " + backupServer + ", now running " + running
                + "; running mariadb-upgrade");
        TenantInstance instance = tenants.requireNormal(tenant);
        RestoreCommands.run(context, ExternalCommand.of("mariadb-upgrade",
                "--defaults-file=" + instance.layout().agentOptionFile(), "--socket=" + instance.layout().socket())
                .timeout(Duration.ofHours(1)));
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }

    private static String runningVersion(TenantInstance instance) throws IOException, SQLException {
        try (Connection agent = instance.agent().connect(); Statement sql = agent.createStatement();
             ResultSet row = sql.executeQuery("SELECT VERSION()")) {
            row.next();
            return row.getString(1);
        }
    }

    private static String majorMinor(String version) {
        if (version == null) {
            return "unknown";
        }
        String[] parts = version.split("[.-]");
        return parts.length < 2 ? version : parts[0] + "." + parts[1];
    }
}
