package io.tenantbackup.agent;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.UUID;

/**
 * This service instance as the other agents sharing the metadata database see it: obshell's {@code ip:port} identity
 * ({@code TENANT_BACKUP_AGENT_IP} and the HTTP port) plus an incarnation token that is new at every start.
 */
@ApplicationScoped
public class LocalAgent {

    private final String incarnation = UUID.randomUUID().toString();

    @ConfigProperty(name = "tenant-backup.agent.ip", defaultValue = "127.0.0.1")
    String ip;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    /** {@code ip:port}, the value stored as a tenant's owner and a DAG's execute agent. */
    public String identity() {
        return AgentAddress.identity(ip, port);
    }

    public String incarnation() {
        return incarnation;
    }

    public boolean is(String identity) {
        return identity().equals(identity);
    }
}
