package io.tenantbackup.agent;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tenantbackup.ServiceConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The agents sharing the metadata database: this one registers at start (refused when a live instance has its
 * identity or its data directory), then beats its heart; an agent whose heartbeat is older than the timeout is gone.
 * Liveness is judged by the database's clock only.
 */
@ApplicationScoped
public class AgentRegistry {

    private static final Logger LOG = Logger.getLogger(AgentRegistry.class);
    private static final String GONE_MARK = "gone:";

    @Inject
    LocalAgent local;
    @Inject
    AgentTimings timings;
    @Inject
    ServiceConfig config;
    @Inject
    EntityManager em;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0")
    String release;

    private volatile boolean registered;
    private DataDirLock dataDirLock;

    /** Before the supervisors and the DAG recovery: they act only for the agent registered here. */
    void onStart(@Observes @Priority(10) StartupEvent event) {
        register();
    }

    void onShutdown(@Observes ShutdownEvent event) throws IOException {
        registered = false;
        if (dataDirLock != null) {
            dataDirLock.close();
            dataDirLock = null;
        }
    }

    void register() {
        try {
            dataDirLock = DataDirLock.take(config.dataDir(), local.identity());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock data directory " + config.dataDir(), e);
        }
        QuarkusTransaction.requiringNew().run(this::claimIdentity);
        registered = true;
        LOG.infof("Agent %s registered (data dir %s, heartbeat every %s, gone after %s)", local.identity(),
                config.dataDir(), timings.heartbeatInterval(), timings.timeout());
    }

    /**
     * Takes the identity row. A live row of another instance refuses the start, unless it was this host's instance on
     * this data directory: the data-directory lock just taken proves that process is dead (a restart after a crash).
     */
    private void claimIdentity() {
        String host = hostName();
        String dataDir = config.dataDir().toString();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT host_name, data_dir, heartbeat_at,"
                        + " CASE WHEN heartbeat_at > NOW(6) - INTERVAL ?2 MICROSECOND THEN 1 ELSE 0 END, incarnation"
                        + " FROM agent WHERE identity = ?1 FOR UPDATE")
                .setParameter(1, local.identity())
                .setParameter(2, AgentTimings.micros(timings.timeout()))
                .getResultList();
        if (rows.isEmpty()) {
            thisAgent(em.createNativeQuery("INSERT INTO agent (identity, ip, port, incarnation, host_name,"
                    + " data_dir, pid, version, started_at, heartbeat_at)"
                    + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NOW(6), NOW(6))"), host, dataDir).executeUpdate();
            return;
        }
        Object[] row = rows.get(0);
        boolean live = ((Number) row[3]).intValue() == 1 && !String.valueOf(row[4]).startsWith(GONE_MARK);
        boolean restartHere = host.equals(row[0]) && dataDir.equals(row[1]);
        if (live && !restartHere) {
            throw new AgentStartRefused("agent identity " + local.identity() + " is held by a live instance on host "
                    + row[0] + " (data dir " + row[1] + ", last heartbeat " + row[2] + "); every instance needs its own"
                    + " TENANT_BACKUP_AGENT_IP:QUARKUS_HTTP_PORT. It is free again once that instance has been silent"
                    + " for " + timings.timeout().toSeconds() + " s");
        }
        thisAgent(em.createNativeQuery("UPDATE agent SET ip = ?2, port = ?3, incarnation = ?4, host_name = ?5,"
                + " data_dir = ?6, pid = ?7, version = ?8, started_at = NOW(6), heartbeat_at = NOW(6)"
                + " WHERE identity = ?1"), host, dataDir).executeUpdate();
        // The previous incarnation is dead (or gone and fenced): its leases end now instead of at their expiry. Should
        // it be merely paused, the expired generation keeps it from writing when it wakes up.
        em.createNativeQuery("UPDATE agent_lease SET expires_at = NOW(6) WHERE holder = ?1 AND incarnation <> ?2"
                        + " AND expires_at > NOW(6)")
                .setParameter(1, local.identity()).setParameter(2, local.incarnation())
                .executeUpdate();
    }

    /** Binds ?1..?8 of the agent row: identity, ip, port, incarnation, host, data dir, pid, version. */
    private Query thisAgent(Query row, String host, String dataDir) {
        return row.setParameter(1, local.identity()).setParameter(2, local.ip()).setParameter(3, local.port())
                .setParameter(4, local.incarnation()).setParameter(5, host).setParameter(6, dataDir)
                .setParameter(7, ProcessHandle.current().pid()).setParameter(8, release);
    }

    /**
     * Proves this agent lives. Finding its incarnation replaced means the others declared it gone (it was paused or
     * cut off past the timeout) and failed its DAGs: it stops at once rather than act on work it no longer owns.
     */
    @Scheduled(every = "${tenant-backup.agent.heartbeat-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        if (!registered) {
            return;
        }
        int updated;
        try {
            updated = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "UPDATE agent SET heartbeat_at = NOW(6) WHERE identity = ?1 AND incarnation = ?2")
                    .setParameter(1, local.identity()).setParameter(2, local.incarnation())
                    .executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("Agent %s: heartbeat failed: %s", local.identity(), e.getMessage());
            return;
        }
        if (updated == 0 && registered) {
            registered = false;
            LOG.errorf("Agent %s was declared gone by the other agents (no heartbeat for %s) or its identity was"
                    + " taken over; stopping so that it does not act on DAGs and tenants it no longer owns",
                    local.identity(), timings.timeout());
            Quarkus.asyncExit(3);
        }
    }

    /** Whether the agent has beaten its heart within the timeout (this agent always is). */
    public boolean isAlive(String identity) {
        if (local.is(identity)) {
            return true;
        }
        return QuarkusTransaction.joiningExisting().call(() -> !em.createNativeQuery("SELECT identity FROM agent"
                        + " WHERE identity = ?1 AND heartbeat_at > NOW(6) - INTERVAL ?2 MICROSECOND"
                        + " AND incarnation NOT LIKE 'gone:%'")
                .setParameter(1, identity)
                .setParameter(2, AgentTimings.micros(timings.timeout()))
                .getResultList().isEmpty());
    }

    /** Agents other than this one that have been silent past the timeout. */
    @SuppressWarnings("unchecked")
    public List<String> silentAgents() {
        return QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery("SELECT identity FROM agent"
                        + " WHERE heartbeat_at <= NOW(6) - INTERVAL ?1 MICROSECOND AND identity <> ?2")
                .setParameter(1, AgentTimings.micros(timings.timeout()))
                .setParameter(2, local.identity())
                .getResultList());
    }

    /**
     * In the caller's transaction, row-locks a silent agent and marks its incarnation gone, so that it stops if it
     * ever wakes up; empty when the agent has beaten its heart meanwhile. Returns its last heartbeat.
     */
    public Optional<LocalDateTime> declareGone(String identity) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT heartbeat_at, incarnation FROM agent WHERE identity = ?1"
                        + " AND heartbeat_at <= NOW(6) - INTERVAL ?2 MICROSECOND FOR UPDATE")
                .setParameter(1, identity)
                .setParameter(2, AgentTimings.micros(timings.timeout()))
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        if (!String.valueOf(rows.get(0)[1]).startsWith(GONE_MARK)) {
            em.createNativeQuery("UPDATE agent SET incarnation = CONCAT(?2, incarnation) WHERE identity = ?1")
                    .setParameter(1, identity).setParameter(2, GONE_MARK).executeUpdate();
        }
        return Optional.of(toLocal(rows.get(0)[0]));
    }

    /** Every registered agent, for the listing. */
    public List<AgentRecord> all() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
                        "SELECT identity, ip, port, host_name, data_dir, pid, version, started_at, heartbeat_at,"
                                + " CASE WHEN heartbeat_at > NOW(6) - INTERVAL ?1 MICROSECOND"
                                + " AND incarnation NOT LIKE 'gone:%' THEN 1 ELSE 0 END"
                                + " FROM agent ORDER BY identity")
                .setParameter(1, AgentTimings.micros(timings.timeout()))
                .getResultList());
        return rows.stream().map(row -> new AgentRecord((String) row[0], (String) row[1], ((Number) row[2]).intValue(),
                (String) row[3], (String) row[4], ((Number) row[5]).longValue(), (String) row[6], toLocal(row[7]),
                toLocal(row[8]), ((Number) row[9]).intValue() == 1)).toList();
    }

    private static LocalDateTime toLocal(Object time) {
        return time instanceof java.sql.Timestamp timestamp ? timestamp.toLocalDateTime() : (LocalDateTime) time;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
        }
    }
}
