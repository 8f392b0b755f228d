package io.tenantbackup.task;

/** Which agent runs a new DAG: implemented by the domain that knows who owns a tenant. */
public interface DagPlacement {

    /**
     * The {@code ip:port} of the agent that must run a DAG working on {@code tenant} (null: no tenant, this agent).
     * Refuses with a ServiceException when that agent is gone, so that no DAG is created that nobody would run.
     */
    String agentFor(String tenant);
}
