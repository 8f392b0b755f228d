package io.tenantbackup.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantbackup.backup.BackupConfig;
import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.backup.TimeDurations;
import io.tenantbackup.repository.archive.ArchiveRoundWriter;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.tenant.TenantDropping;
import io.tenantbackup.tenant.TenantInstance;
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
 * Runs one {@link BinlogArchiver} for every tenant whose archive log is DOING: from service start to shutdown, and
 * from each status change until the next. A tenant being dropped first loses its archiver and its round is stopped.
 */
@ApplicationScoped
public class ArchiveSupervisor {

    private static final Logger LOG = Logger.getLogger(ArchiveSupervisor.class);
    /** OceanBase's defaults when the tenant's backup config leaves them unset. */
    private static final Duration DEFAULT_LAG_TARGET = Duration.ofMinutes(2);
    private static final Duration DEFAULT_PIECE_SWITCH = Duration.ofDays(1);

    private final Map<Long, BinlogArchiver> archivers = new HashMap<>();

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

    /** Starts the archivers of all DOING tenants; one tenant's failure does not stop the others. */
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
        Optional<ArchiveLog> row = logs.find(tenantId).filter(found -> found.status == ArchiveStatus.DOING);
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
            Optional<BackupConfig> config = configs.find(tenant.id());
            String destination = row.path;
            BinlogArchiver archiver = new BinlogArchiver(tenant, row.roundId, logs,
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
        synchronized (this) {
            archiver = archivers.remove(tenantId);
        }
        if (archiver == null) {
            return;
        }
        try {
            archiver.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration duration(String field, Optional<String> configured, Duration fallback) {
        return configured.filter(text -> !text.isEmpty())
                .map(text -> TimeDurations.parse(field, text))
                .orElse(fallback);
    }
}
