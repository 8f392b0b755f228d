package io.tenantbackup.tenant;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tenantbackup.agent.AgentErrors;
import io.tenantbackup.agent.AgentRegistry;
import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.task.DagPlacement;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which agent a tenant belongs to: the one that hosts its mariadbd (it created or restored it). Only the owner
 * supervises the instance, archives its binlog and runs its DAGs; any agent answers reads and writes DAGs for it.
 */
@ApplicationScoped
public class TenantOwnership implements DagPlacement {

    @Inject
    TenantStore store;
    @Inject
    LocalAgent local;
    @Inject
    AgentRegistry registry;

    /** Tenants from before agents existed (V6) were all this service's: the first agent to start takes them. */
    void adoptTenantsFromBeforeAgents(@Observes @Priority(20) StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> TenantEntity.update("ownerAgent = ?1 where ownerAgent is null",
                local.identity()));
    }

    /**
     * Whether this agent owns the tenant: what a per-tenant scheduler (retention, say) asks before acting, so that
     * only one agent acts for a tenant. False for a tenant that does not exist.
     */
    public boolean ownsHere(String tenantName) {
        return owner(tenantName).map(local::is).orElse(false);
    }

    /** Names of the tenants this agent hosts, in one query: what its per-tenant health and metrics cover. */
    public Set<String> ownedHere() {
        return QuarkusTransaction.joiningExisting().call(() -> TenantEntity.<TenantEntity>list("ownerAgent",
                local.identity()).stream().map(row -> row.name).collect(Collectors.toSet()));
    }

    /** The {@code ip:port} of the tenant's owner; empty when the tenant does not exist. */
    public Optional<String> owner(String tenantName) {
        return store.find(tenantName).map(row -> row.ownerAgent);
    }

    /**
     * A DAG for a tenant runs on its owner; a DAG without a tenant, or for a tenant not recorded yet, runs here. A
     * gone owner refuses the request: the DAG would only wait until it is failed.
     */
    @Override
    public String agentFor(String tenant) {
        String owner = tenant == null ? null : owner(tenant).orElse(null);
        if (owner == null || local.is(owner)) {
            return local.identity();
        }
        if (!registry.isAlive(owner)) {
            throw AgentErrors.OWNER_GONE.exception("Tenant " + tenant + " is hosted by agent " + owner
                    + ", which has not been heard from within the agent timeout; start that agent again (or restore"
                    + " the tenant on another agent) and retry");
        }
        return owner;
    }

    /**
     * Refuses a request that hands the owner a secret kept in memory only (a backup encryption password): such a
     * secret never goes into the metadata DB, so it must be sent to the owning agent itself.
     */
    public void requireOwnedHereForSecret(String tenantName, String what) {
        Optional<String> owner = owner(tenantName);
        if (owner.isPresent() && !local.is(owner.get())) {
            throw AgentErrors.NOT_OWNER.exception(what + " for tenant " + tenantName + " must be sent to agent "
                    + owner.get() + ", which hosts it: this agent (" + local.identity() + ") keeps such secrets in"
                    + " memory only and cannot pass them on");
        }
    }
}
