package io.tenantbackup.archive;

import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.engine.process.RunningCommand;
import io.tenantbackup.repository.archive.ArchiveRoundWriter;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.tenant.TenantInstance;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Archives one tenant's binlog for one round. {@code mariadb-binlog --raw --stop-never} copies the binlog into a local
 * spool directory; a file is archived only once the server has closed it (it is no longer the server's current file)
 * and the copy has the server's size, which makes the copy byte-identical. Files are archived strictly in order from
 * the file after the last one a piece manifest lists, so a crash of the streamer, of the tenant or of the service
 * resumes without gap or duplicate; a file the server no longer has ends the round as INTERRUPTED. Every
 * {@code archive_lag_target} the current file is closed with {@code FLUSH BINARY LOGS}, unless the tenant has written
 * nothing since the archive's end, which then simply moves the checkpoint.
 */
final class BinlogArchiver {

    private static final Logger LOG = Logger.getLogger(BinlogArchiver.class);
    /** Replica server ids of archivers; tenants' own server ids are far below. */
    static final long STREAMER_SERVER_ID_BASE = 2_000_000_000L;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final String SPOOL_DIRECTORY = "archive-spool";

    /** Opens the writer of a round of the tenant's archive destination. */
    interface Rounds {
        ArchiveRoundWriter open(long roundId) throws IOException;
    }

    private final TenantInstance tenant;
    private volatile long roundId;
    private final ArchiveLogs logs;
    private final Rounds rounds;
    private ArchiveRoundWriter destination;
    private final Duration lagTarget;
    private final Duration pieceSwitch;
    private final Path spool;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Thread thread;
    private volatile RunningCommand streamer;
    private String lastProblem;

    BinlogArchiver(TenantInstance tenant, long roundId, ArchiveLogs logs, Rounds rounds, Duration lagTarget,
                   Duration pieceSwitch) {
        this.tenant = tenant;
        this.roundId = roundId;
        this.logs = logs;
        this.rounds = rounds;
        this.lagTarget = lagTarget;
        this.pieceSwitch = pieceSwitch;
        this.spool = tenant.layout().home().resolve(SPOOL_DIRECTORY);
        this.thread = new Thread(this::run, "archiver-" + tenant.name());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the streamer and waits for the archiver to finish the file it may be storing. */
    void stop() throws InterruptedException {
        stopSignal.countDown();
        RunningCommand running = streamer;
        if (running != null) {
            running.kill("archiver of tenant " + tenant.name() + " stopped");
        }
        thread.join(TimeUnit.SECONDS.toMillis(60));
    }

    long roundId() {
        return roundId;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    boolean isStreaming() {
        RunningCommand running = streamer;
        return running != null && running.isAlive();
    }

    OptionalLong streamerPid() {
        RunningCommand running = streamer;
        return running != null && running.isAlive() ? OptionalLong.of(running.pid()) : OptionalLong.empty();
    }

    private void run() {
        while (!stopped()) {
            try {
                archiveUntilTheStreamEnds();
            } catch (ArchiveGapException e) {
                LOG.errorf("Tenant '%s': archive log INTERRUPTED: %s", tenant.name(), e.getMessage());
                logs.interrupt(tenant.id(), roundId, e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                report(e);
            }
            pause(RETRY);
        }
        if (destination != null) {
            destination.close();
        }
        LOG.infof("Tenant '%s': archiver of round %d stopped", tenant.name(), roundId);
    }

    private void archiveUntilTheStreamEnds() throws Exception {
        try (Connection connection = tenant.agent().connect(); Statement sql = connection.createStatement()) {
            ArchiveLog state = logs.find(tenant.id()).orElse(null);
            if (state == null || state.roundId != roundId || state.status != ArchiveStatus.DOING) {
                stopSignal.countDown();
                return;
            }
            if (destination == null && !openRound()) {
                return;
            }
            String startFile = state.startFile != null ? state.startFile
                    : logs.startFile(tenant.id(), roundId, currentFile(sql));
            Optional<PieceManifest> piece = destination.lastPiece();
            piece.ifPresent(this::recordArchived);
            String next = piece.map(p -> BinlogNames.next(p.lastFile().name())).orElse(startFile);
            Map<String, Long> onServer = binaryLogs(sql);
            requireOnServer(next, onServer);
            resetSpool();
            try (RunningCommand running = startStreamer(next)) {
                streamer = running;
                lastProblem = null;
                long lastFlush = System.nanoTime();
                while (running.isAlive() && !stopped()) {
                    onServer = binaryLogs(sql);
                    while (isClosedAndCopied(next, onServer)) {
                        piece = Optional.of(archive(next, piece));
                        next = BinlogNames.next(next);
                    }
                    if (System.nanoTime() - lastFlush >= lagTarget.toNanos()) {
                        piece = closeCurrentFile(sql, next, onServer, piece);
                        lastFlush = System.nanoTime();
                    }
                    pause(POLL);
                }
                if (!stopped()) {
                    LOG.warnf("Tenant '%s': mariadb-binlog (pid %d) ended: %s; restarting it from %s", tenant.name(),
                            running.pid(), running.tail().isEmpty() ? "no output" : running.tail().get(running.tail().size() - 1), next);
                }
            } finally {
                streamer = null;
            }
        }
    }

    /**
     * Opens the round's writer. A round archived with another encryption than the configured one (turned on, off, or
     * a new passphrase) is not continued: a new round takes over from the file after its last one, so the archive
     * stays contiguous and each round is readable with the passphrase it was written under. Returns false when the
     * round changed and the caller starts over.
     */
    private boolean openRound() throws IOException {
        try {
            destination = rounds.open(roundId);
        } catch (ArchiveRoundWriter.EncryptionChanged e) {
            String next = BinlogNames.next(e.lastPiece().lastFile().name());
            OptionalLong newRound = logs.continueInNewRound(tenant.id(), roundId, next);
            if (newRound.isEmpty()) {
                stopSignal.countDown();
                return false;
            }
            LOG.warnf("Tenant '%s': %s; round %d continues the archive from %s", tenant.name(), e.getMessage(),
                    newRound.getAsLong(), next);
            roundId = newRound.getAsLong();
            return false;
        }
        LOG.infof("Tenant '%s': archiving round %d into %s (%s, lag target %s, piece switch %s)", tenant.name(),
                roundId, destination.uri(), destination.encrypted() ? "encrypted" : "not encrypted", lagTarget,
                pieceSwitch);
        return true;
    }

    /** A tenant that stays down fails every retry the same way: say so once, not every {@link #RETRY}. */
    private void report(Exception e) {
        if (stopped()) {
            return;
        }
        String problem = String.valueOf(e.getMessage());
        LOG.logf(problem.equals(lastProblem) ? Logger.Level.DEBUG : Logger.Level.WARN,
                "Tenant '%s': archiver round %d: %s; retrying every %d s", tenant.name(), roundId, problem,
                RETRY.toSeconds());
        lastProblem = problem;
    }

    private RunningCommand startStreamer(String firstFile) throws IOException {
        RunningCommand running = ExternalCommand.of("mariadb-binlog",
                        "--defaults-file=" + tenant.layout().agentOptionFile(),
                        "--read-from-remote-server", "--host=127.0.0.1", "--port=" + tenant.port(),
                        "--raw", "--stop-never", "--stop-never-slave-server-id=" + (STREAMER_SERVER_ID_BASE + tenant.id()),
                        "--result-file=" + spool + "/", firstFile)
                .timeout(Duration.ofDays(3650))
                .outputLines(line -> LOG.infof("Tenant '%s': mariadb-binlog: %s", tenant.name(), line))
                .startStreaming();
        LOG.infof("Tenant '%s': mariadb-binlog (pid %d) streams the binlog from %s", tenant.name(), running.pid(), firstFile);
        return running;
    }

    private boolean isClosedAndCopied(String file, Map<String, Long> onServer) throws IOException {
        Long size = onServer.get(file);
        Path copy = spool.resolve(file);
        return size != null && !file.equals(currentOf(onServer)) && Files.isRegularFile(copy) && Files.size(copy) == size;
    }

    private PieceManifest archive(String file, Optional<PieceManifest> piece) throws IOException {
        Path copy = spool.resolve(file);
        BinlogSummary summary = BinlogSummary.read(copy);
        PieceManifest stored = destination.store(piece, copy, PieceManifest.ArchivedFile.describing(file,
                summary.size(), summary.firstGtid(), summary.lastGtid(), summary.startPosition().toString(),
                summary.endPosition().toString(), summary.firstEventTime(), summary.lastEventTime()), pieceSwitch);
        recordArchived(stored);
        Files.delete(copy);
        LOG.infof("Tenant '%s': archived %s (%d bytes, GTIDs %s..%s) in round %d piece %d", tenant.name(), file,
                summary.size(), summary.firstGtid(), summary.lastGtid(), roundId, stored.pieceId());
        return stored;
    }

    private void recordArchived(PieceManifest piece) {
        PieceManifest.ArchivedFile last = piece.lastFile();
        logs.archived(tenant.id(), roundId, last.name(), last.endGtidPos(),
                last.lastEvent() == null ? null : local(last.lastEvent()));
    }

    /**
     * Closes the server's current file so that it can be archived, but only once every closed file is archived and
     * only if the tenant wrote something since the archive's end; otherwise the archive is complete up to now, which
     * the piece's manifest records for restore windows. Returns the piece manifest in force.
     */
    private Optional<PieceManifest> closeCurrentFile(Statement sql, String next, Map<String, Long> onServer,
                                                     Optional<PieceManifest> piece) throws SQLException, IOException {
        if (!next.equals(currentOf(onServer))) {
            return piece;
        }
        OffsetDateTime probe = OffsetDateTime.now();
        GtidPosition archived = piece.map(p -> GtidPosition.parse(p.lastFile().endGtidPos())).orElse(null);
        if (archived != null && archived.equals(GtidPosition.parse(gtidBinlogPos(sql)))) {
            logs.idle(tenant.id(), roundId, probe);
            return Optional.of(destination.completeUpTo(piece.get(), probe.toInstant()));
        }
        sql.execute("FLUSH BINARY LOGS");
        return piece;
    }

    private void requireOnServer(String file, Map<String, Long> onServer) throws ArchiveGapException {
        if (!onServer.containsKey(file)) {
            String range = onServer.isEmpty() ? "no binlog files"
                    : "binlog files " + onServer.keySet().iterator().next() + " to " + currentOf(onServer);
            throw new ArchiveGapException("binlog file " + file + " of tenant " + tenant.name() + " was purged before it"
                    + " was archived (the tenant has " + range + "); round " + roundId + " has a gap");
        }
    }

    /**
     * Empties the spool for a fresh streamer. A streamer left by a service that was killed (it is not in the service's
     * process tree any more) would write into the same spool, so it is stopped first.
     */
    private void resetSpool() throws IOException {
        String resultFile = "--result-file=" + spool + "/";
        ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).contains(resultFile))
                .forEach(orphan -> {
                    LOG.warnf("Tenant '%s': stopping mariadb-binlog (pid %d) left by an earlier run", tenant.name(),
                            orphan.pid());
                    orphan.destroyForcibly();
                    orphan.onExit().join();
                });
        Files.createDirectories(spool);
        try (Stream<Path> files = Files.list(spool)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
    }

    private static Map<String, Long> binaryLogs(Statement sql) throws SQLException {
        Map<String, Long> files = new LinkedHashMap<>();
        try (ResultSet rows = sql.executeQuery("SHOW BINARY LOGS")) {
            while (rows.next()) {
                files.put(rows.getString(1), rows.getLong(2));
            }
        }
        return files;
    }

    private static String currentOf(Map<String, Long> onServer) {
        String last = null;
        for (String file : onServer.keySet()) {
            last = file;
        }
        return last;
    }

    private static String currentFile(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SHOW MASTER STATUS")) {
            if (!row.next()) {
                throw new SQLException("SHOW MASTER STATUS returned nothing: the binary log is off");
            }
            return row.getString("File");
        }
    }

    private static String gtidBinlogPos(Statement sql) throws SQLException {
        try (ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            return row.getString(1);
        }
    }

    private static OffsetDateTime local(Instant time) {
        return OffsetDateTime.ofInstant(time, ZoneId.systemDefault());
    }

    private boolean stopped() {
        return stopSignal.getCount() == 0;
    }

    private void pause(Duration how) {
        try {
            stopSignal.await(how.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopSignal.countDown();
        }
    }
}
