package io.tenantbackup.archive;

import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.task.CancellationSignal;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** The archive log switch and its read side, for the API, the backup DAG and the backup info. */
@ApplicationScoped
public class ArchiveLogService {

    private static final Duration OPEN_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** One round as {@code GET …/backup/log/tasks} shows it; {@code comment} says why it is INTERRUPTED. */
    public record ArchiveRound(long tenantId, String tenantName, long roundId, ArchiveStatus status, String path,
                               Optional<Double> delaySeconds, Optional<OffsetDateTime> checkpoint,
                               OffsetDateTime startTime, Optional<String> comment) {
    }

    @Inject
    ArchiveLogs logs;

    @Inject
    ArchiveSupervisor supervisor;

    @Inject
    BackupConfigService configs;

    /**
     * {@code PATCH …/backup/log}: obshell's rules (upper-cased; null or "" is STOP; else 400), then a configured
     * archive destination (400), and an INTERRUPTED round only leaves through STOP (500 otherwise).
     */
    public void setStatus(TenantInstance tenant, String status) {
        change(tenant, requestedStatus(status));
    }

    /** obshell's rule for the requested status: upper-cased, null or "" is STOP; else OB.Backup.ArchiveLogStatus.Invalid. */
    public static ArchiveStatus requestedStatus(String status) {
        String normalized = status == null || status.isEmpty() ? ArchiveStatus.STOP.name() : status.toUpperCase(Locale.ROOT);
        ArchiveStatus requested;
        try {
            requested = ArchiveStatus.valueOf(normalized);
        } catch (IllegalArgumentException e) {
            requested = null;
        }
        if (requested == null || requested == ArchiveStatus.INTERRUPTED) {
            throw ArchiveErrors.STATUS_INVALID.exception("Invalid archive log status: " + normalized
                    + ", must be doing, stop or suspend");
        }
        return requested;
    }

    /**
     * Whether the tenant's archive log can take {@code requested}, changing nothing: a configured archive destination
     * (400 OB.Backup.ArchiveDestEmpty), and an INTERRUPTED round only leaves through STOP (500). Returns the archive
     * destination.
     */
    public String check(TenantInstance tenant, ArchiveStatus requested) {
        String archiveUri = configs.find(tenant.id()).map(config -> config.archiveBaseUri)
                .filter(uri -> !uri.isEmpty())
                .orElseThrow(() -> ArchiveErrors.ARCHIVE_DEST_EMPTY.exception("Archive destination is empty, tenant: "
                        + tenant.name() + "(" + tenant.id() + "); set archive_base_uri with POST /api/v1/tenant/"
                        + tenant.name() + "/backup/config first"));
        Optional<ArchiveLog> current = logs.find(tenant.id());
        if (requested != ArchiveStatus.STOP && current.filter(row -> row.status == ArchiveStatus.INTERRUPTED).isPresent()) {
            throw CommonErrors.UNEXPECTED.exception("Archive log of tenant " + tenant.name() + " is INTERRUPTED ("
                    + current.get().comment + "); set it to stop, then to doing to begin a new round");
        }
        return archiveUri;
    }

    /**
     * "Open archive log": opens archiving unless it is DOING and waits, logging progress, until the tenant's archiver
     * streams its binlog. INTERRUPTED fails with its reason. A round already DOING into the configured destination
     * whose archiver streams here is confirmed by one read, without the locking transaction of a change.
     */
    public void openAndAwait(TenantInstance tenant, Consumer<String> log, CancellationSignal cancellation)
            throws InterruptedException, TaskCancelledException {
        // what opening would confirm, read in one statement: DOING into the configured destination, streamed here
        Optional<ArchiveLog> streaming = logs.doingIntoConfiguredDestination(tenant.id())
                .filter(row -> row.startFile != null && supervisor.isStreaming(tenant.id(), row.roundId));
        if (streaming.isPresent()) {
            logDoing(tenant, streaming.get(), log);
            logStreaming(tenant, streaming.get(), log);
            return;
        }
        logDoing(tenant, change(tenant, ArchiveStatus.DOING), log);
        long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
        long nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (true) {
            ArchiveLog now = logs.find(tenant.id()).orElseThrow();
            if (now.status == ArchiveStatus.INTERRUPTED) {
                throw new IllegalStateException("Archive log of tenant " + tenant.name() + " is INTERRUPTED: " + now.comment);
            }
            if (now.status != ArchiveStatus.DOING) {
                throw new IllegalStateException("Archive log of tenant " + tenant.name() + " was set to " + now.status
                        + " while the backup waited for it");
            }
            if (now.startFile != null && supervisor.isStreaming(tenant.id())) {
                logStreaming(tenant, now, log);
                return;
            }
            cancellation.throwIfCancelled();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Archiver of tenant " + tenant.name() + " did not reach its binlog within "
                        + OPEN_TIMEOUT.toSeconds() + " s");
            }
            if (System.nanoTime() > nextReport) {
                log.accept("Waiting for the archiver of tenant " + tenant.name() + " to reach its binlog");
                nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
            Thread.sleep(200);
        }
    }

    private static void logDoing(TenantInstance tenant, ArchiveLog row, Consumer<String> log) {
        log.accept("Archive log of tenant " + tenant.name() + " is DOING, round " + row.roundId + " into " + row.path);
    }

    private static void logStreaming(TenantInstance tenant, ArchiveLog row, Consumer<String> log) {
        log.accept("Archiver of tenant " + tenant.name() + " streams its binlog from " + row.startFile
                + (row.lastFile == null ? "" : "; archived up to " + row.lastFile));
    }

    public List<ArchiveRound> rounds(TenantInstance tenant) {
        return logs.find(tenant.id()).map(ArchiveLogService::round).stream().toList();
    }

    /** The current round of the tenant, if archiving was ever opened. */
    public Optional<ArchiveRound> current(long tenantId) {
        return logs.find(tenantId).map(ArchiveLogService::round);
    }

    private ArchiveLog change(TenantInstance tenant, ArchiveStatus requested) {
        String archiveUri = check(tenant, requested);
        Optional<ArchiveLog> row = logs.change(tenant.id(), tenant.name(), requested, archiveUri);
        supervisor.sync(tenant.id());
        return row.orElse(null);
    }

    private static ArchiveRound round(ArchiveLog row) {
        Optional<OffsetDateTime> checkpoint = Optional.ofNullable(row.checkpoint);
        return new ArchiveRound(row.tenantId, row.tenantName, row.roundId, row.status, row.path,
                delaySeconds(checkpoint), checkpoint, row.startTime, Optional.ofNullable(row.comment));
    }

    /** How far the archive is behind now, from its checkpoint (the time of the last archived event). */
    public static Optional<Double> delaySeconds(Optional<OffsetDateTime> checkpoint) {
        return checkpoint.map(time -> Duration.between(time, OffsetDateTime.now()).toMillis() / 1000.0);
    }
}
