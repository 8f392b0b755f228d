package io.tenantbackup.agent;

import io.tenantbackup.error.ErrorCode;

/** Errors of a request that needs an agent other than the one it reached. */
public final class AgentErrors {

    /** The tenant's owner has been silent past the agent timeout: nothing would run what the request asks. */
    public static final ErrorCode OWNER_GONE = new ErrorCode(503, "Agent.Owner.Gone");
    /** The request carries a secret held in memory only, which cannot reach the owner through the metadata DB. */
    public static final ErrorCode NOT_OWNER = new ErrorCode(400, "Agent.Owner.Elsewhere");

    private AgentErrors() {
    }
}
