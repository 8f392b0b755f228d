package io.tenantbackup.api.agent;

import io.tenantbackup.agent.AgentRecord;
import io.tenantbackup.agent.AgentRegistry;
import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.AgentApi;
import io.tenantbackup.api.model.AgentInfo;
import io.tenantbackup.api.model.AgentInstance;
import io.tenantbackup.api.model.AgentList;
import io.tenantbackup.api.model.AgentRef;
import io.tenantbackup.api.model.AgentSecret;
import io.tenantbackup.api.model.AgentStatus;
import io.tenantbackup.auth.AgentKeyStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

public class AgentResource implements AgentApi {

    @Inject
    AgentIdentity identity;

    @Inject
    AgentKeyStore keys;

    @Inject
    AgentRegistry registry;

    @Override
    public Response getAgentInfo() {
        return Envelopes.ok(new AgentInfo()
                .pid(identity.pid())
                .state(AgentIdentity.STATE_RUNNING)
                .startAt(identity.startedAtNanos())
                .homePath(identity.homePath())
                .obVersion(identity.serverVersion())
                .architecture(identity.architecture())
                .ip(identity.ip())
                .port(identity.port())
                .zone("")
                .identity(AgentInfo.IdentityEnum.CLUSTER_AGENT)
                .version(identity.version())
                .isObproxyAgent(false)
                .security(identity.passwordSet())
                .addSupportedAuthItem(AgentInfo.SupportedAuthEnum.V2));
    }

    @Override
    public Response getAgentStatus() {
        return Envelopes.ok(new AgentStatus()
                .agent(new AgentRef().ip(identity.ip()).port(identity.port()).identity("CLUSTER AGENT"))
                .state(AgentIdentity.STATE_RUNNING)
                .version(identity.version())
                .pid(identity.pid())
                .startAt(identity.startedAtNanos())
                .port(identity.port())
                .obState(AgentIdentity.OB_STATE_AVAILABLE)
                .underMaintenance(false));
    }

    @Override
    public Response getAgentSecret() {
        return Envelopes.ok(new AgentSecret().ip(identity.ip()).port(identity.port()).publicKey(keys.publicKeyPkcs1()));
    }

    @Override
    public Response listAgents() {
        return Envelopes.ok(new AgentList().contents(registry.all().stream().map(AgentResource::instance).toList()));
    }

    private static AgentInstance instance(AgentRecord agent) {
        return new AgentInstance()
                .ip(agent.ip())
                .port(agent.port())
                .zone("")
                .identity("CLUSTER AGENT")
                .version(agent.version())
                .alive(agent.alive())
                .hostName(agent.hostName())
                .homePath(agent.dataDir())
                .pid(agent.pid())
                .startTime(local(agent.startedAt()))
                .heartbeatTime(local(agent.heartbeatAt()));
    }

    private static OffsetDateTime local(LocalDateTime time) {
        return time.atZone(ZoneId.systemDefault()).toOffsetDateTime();
    }
}
