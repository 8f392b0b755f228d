package io.tenantbackup.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tenantbackup.agent.Leases;
import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.backup.BackupConfig;
import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.backup.TimeDurations;
import io.tenantbackup.repository.archive.ArchiveRoundWriter;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.tenant.TenantDropping;
import io.tenantbackup.tenant.TenantInstance;
import io.tenantbackup.tenant.TenantOwnership;
import io.tenantbackup.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs one {@link BinlogArchiver} for every tenant of this agent whose archive log is DOING: from service start to
 * shutdown, and from each status change until the next (a change made through another agent is seen at the next
 * {@link #renewAndSync}). A tenant being dropped first loses its archiver and its round is stopped. An archiver runs
 * only under the tenant's archive lease, renewed here and checked by the archiver before every piece it writes.
 */
@ApplicationScoped
public class ArchiveSupervisor {

    private static final Logger LOG = Logger.getLogger(ArchiveSupervisor.class);
    /** OceanBase's defaults when the tenant's backup config leaves them unset. */
    private static final Duration DEFAULT_LAG_TARGET = Duration.ofMinutes(2);
    private static final Duration DEFAULT_PIECE_SWITCH = Duration.ofDays(1);
    /** The scheduler identity, for a test that must tell a take-up by a backup from one by this periodic sync. */
    static final String SYNC_JOB = "archive-sync";

    private final Map<Long, BinlogArchiver> archivers = new HashMap<>();
    private final Map<Long, Leases.Lease> leases = new HashMap<>();

    @Inject
    ArchiveLogs logs;
    @Inject
    TenantService tenants;
    @Inject
    BackupConfigService configs;
    @Inject
    ObjectMapper json;
    @Inject
    ArchiveEncryptionConfig encryption;
    @Inject
    TenantOwnership ownership;
    @Inject
    Leases leaseStore;
    @Inject
    LocalAgent local;

    void onStart(@Observes StartupEvent event) {
        startAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopAll();
    }

    void onDrop(@Observes TenantDropping event) {
        stop(event.tenantId());
        logs.change(event.tenantId(), event.tenantName(), ArchiveStatus.STOP, null);
    }

    /** Renews the leases of the running archivers, stops those that lost theirs, and starts what is due. */
    @Scheduled(identity = SYNC_JOB, every = "${tenant-backup.agent.lease-renew-interval:10s}",
            delayed = "${tenant-backup.agent.lease-renew-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    synchronized void renewAndSync() {
        for (Map.Entry<Long, Leases.Lease> held : List.copyOf(leases.entrySet())) {
            if (!leaseStore.renew(held.getValue())) {
                LOG.warnf("Tenant id %d: archive lease generation %d expired or was taken; stopping its archiver",
                        held.getKey(), held.getValue().generation());
                stop(held.getKey());
            }
        }
        startAll();
    }

    /** Starts the archivers of all DOING tenants of this agent; one tenant's failure does not stop the others. */
    public synchronized void startAll() {
        for (ArchiveLog row : logs.withStatus(ArchiveStatus.DOING)) {
            sync(row.tenantId);
        }
    }

    /** Stops every archiver; what they archived stays, and a later start resumes after it. */
    public synchronized void stopAll() {
        for (Long tenantId : List.copyOf(archivers.keySet())) {
            stop(tenantId);
        }
    }

    /** Makes the running archiver match the tenant's archive_log row. */
    synchronized void sync(long tenantId) {
        Optional<ArchiveLog> row = logs.find(tenantId).filter(found -> found.status == ArchiveStatus.DOING)
                .filter(found -> ownership.ownsHere(found.tenantName));
        BinlogArchiver running = archivers.get(tenantId);
        if (running != null && (row.isEmpty() || running.roundId() != row.get().roundId || !running.isAlive())) {
            stop(tenantId);
            running = null;
        }
        if (row.isPresent() && running == null) {
            start(row.get());
        }
    }

    public boolean isStreaming(long tenantId) {
        BinlogArchiver archiver = archiver(tenantId);
        return archiver != null && archiver.isStreaming();
    }

    /** Whether this process' archiver of round {@code roundId} of the tenant runs and streams its binlog. */
    synchronized boolean isStreaming(long tenantId, long roundId) {
        BinlogArchiver archiver = archivers.get(tenantId);
        return archiver != null && archiver.roundId() == roundId && archiver.isAlive() && archiver.isStreaming();
    }

    /** The pid of the tenant's mariadb-binlog streamer, while one runs. */
    public OptionalLong streamerPid(long tenantId) {
        BinlogArchiver archiver = archiver(tenantId);
        return archiver == null ? OptionalLong.empty() : archiver.streamerPid();
    }

    private synchronized BinlogArchiver archiver(long tenantId) {
        return archivers.get(tenantId);
    }

    private void start(ArchiveLog row) {
        try {
            TenantInstance tenant = tenants.requireNormal(row.tenantName);
            Optional<Leases.Lease> lease = leaseStore.acquire("archive:" + tenant.id(),
                    new Leases.Holder(local.identity(), local.incarnation()));
            if (lease.isEmpty()) {
                LOG.warnf("Tenant '%s': another instance holds the archive lease; not archiving until it expires",
                        row.tenantName);
                return;
            }
            leases.put(tenant.id(), lease.get());
            Optional<BackupConfig> config = configs.find(tenant.id());
            String destination = row.path;
            BinlogArchiver archiver = new BinlogArchiver(tenant, row.roundId, logs, () -> leaseStore.holds(lease.get()),
                    round -> openRound(destination, tenant, round),
                    duration("archive_lag_target", config.map(c -> c.archiveLagTarget), DEFAULT_LAG_TARGET),
                    duration("piece_switch_interval", config.map(c -> c.pieceSwitchInterval), DEFAULT_PIECE_SWITCH));
            archivers.put(tenant.id(), archiver);
            archiver.start();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Tenant '%s': cannot start archiving round %d: %s", row.tenantName, row.roundId, e.getMessage());
        }
    }

    private ArchiveRoundWriter openRound(String destination, TenantInstance tenant, long roundId) throws IOException {
        char[] passphrase = encryption.passphraseChars();
        try {
            return ArchiveRoundWriter.open(Storages.open(destination), json, tenant.id(), tenant.name(), roundId,
                    passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private void stop(long tenantId) {
        BinlogArchiver archiver;
        Leases.Lease lease;
        synchronized (this) {
            archiver = archivers.remove(tenantId);
            lease = leases.remove(tenantId);
        }
        try {
            if (archiver != null) {
                archiver.stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (lease != null) {
                leaseStore.release(lease);
            }
        }
    }

    private static Duration duration(String field, Optional<String> configured, Duration fallback) {
        return configured.filter(text -> !text.isEmpty())
                .map(text -> TimeDurations.parse(field, text))
                .orElse(fallback);
    }
}
