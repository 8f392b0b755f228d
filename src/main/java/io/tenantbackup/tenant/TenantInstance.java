package io.tenantbackup.tenant;

import io.tenantbackup.engine.mariadb.AgentAccount;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.mariadb.MariaDbServer;

/** A tenant as other domains see it: a named MariaDB instance reachable on 127.0.0.1:{@code port}. */
public record TenantInstance(long id, String name, int port, MariaDbLayout layout) {

    public MariaDbServer server() {
        return new MariaDbServer(layout);
    }

    public AgentAccount agent() {
        return new AgentAccount(layout, port);
    }
}
