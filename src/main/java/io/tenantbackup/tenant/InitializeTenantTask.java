package io.tenantbackup.tenant;

import io.tenantbackup.engine.mariadb.AgentAccount;
import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Creates the service's agent account, gives root its password from the request and sets the requested global
 * variables. Not safe to rerun: the root password was in memory only and has been taken.
 */
@ApplicationScoped
public class InitializeTenantTask extends CreateTenantStep {

    /** Hosts root may log in from: the socket / "localhost" and TCP on 127.0.0.1 (where the instance listens). */
    private static final String[] ROOT_HOSTS = {"localhost", "127.0.0.1"};

    @Inject
    PendingSecrets secrets;
    @Inject
    TenantProcesses processes;

    @Override
    public void execute(TaskContext context) throws Exception {
        TenantEntity tenant = tenant(context);
        AgentAccount agent = tenant.instance().agent();
        agent.create();
        context.log("Tenant '" + tenant.name + "': created account " + AgentAccount.USER);
        if (Boolean.parseBoolean(context.param(TenantDags.ROOT_PASSWORD_SET).orElse("false"))) {
            String password = secrets.take(tenant.name).orElseThrow(() -> new IllegalStateException("Tenant '"
                    + tenant.name + "': the root password was held in memory only and is gone (the service"
                    + " restarted or it expired); drop the tenant and create it again"));
            try (Connection connection = agent.connect()) {
                setRootPassword(tenant.name, connection, password);
            }
            context.log("Tenant '" + tenant.name + "': set the root password for root@localhost and root@127.0.0.1");
        }
        processes.applyVariables(tenant, tenant.variables(), context::log);
    }

    /** The password goes as a bound parameter (escaped by the driver); errors never carry the statement. */
    private static void setRootPassword(String tenant, Connection connection, String password) throws SQLException {
        for (String host : ROOT_HOSTS) {
            String user = "'root'@'" + host + "'";
            try {
                try (PreparedStatement create = connection.prepareStatement(
                        "CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY ?")) {
                    create.setString(1, password);
                    create.execute();
                }
                try (PreparedStatement alter = connection.prepareStatement("ALTER USER " + user + " IDENTIFIED BY ?")) {
                    alter.setString(1, password);
                    alter.execute();
                }
                try (PreparedStatement grant = connection.prepareStatement(
                        "GRANT ALL PRIVILEGES ON *.* TO " + user + " WITH GRANT OPTION")) {
                    grant.execute();
                }
            } catch (SQLException e) {
                throw new SQLException("Tenant '" + tenant + "': cannot set the password of " + user
                        + " (SQLSTATE " + e.getSQLState() + ", error " + e.getErrorCode() + ")", e.getSQLState());
            }
        }
    }
}
