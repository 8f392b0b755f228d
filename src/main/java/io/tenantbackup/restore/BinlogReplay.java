package io.tenantbackup.restore;

import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.repository.archive.ArchiveReader;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays the source's archived binlog on the restored instance from the last set's GTID to the point, in ONE client
 * session ({@code mariadb-binlog ... files... | mariadb}), so transactions spanning files and session state survive.
 * The events keep their original GTIDs. Each archived file is checked (size, SHA-256, GCM tags) while it is decoded.
 */
@ApplicationScoped
public class BinlogReplay {

    /** MariaDB's largest max_allowed_packet, 1 GiB. */
    private static final long MAX_PACKET = 1L << 30;
    private static final DateTimeFormatter BINLOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Inject
    RestorePasswords passwords;

    @Inject
    RestoreProgress progress;

    void replay(TaskContext context, TenantInstance instance, RestorePoint point, Path directory) throws Exception {
        BackupStorage archive = Storages.open(context.requiredParam(RestoreDags.ARCHIVE_URI));
        String fromGtid = context.requiredParam(RestoreDags.SET_GTID);
        List<ArchivedBinlog.File> files = ArchivedBinlog.read(archive, context.requiredParam(RestoreDags.SOURCE_TENANT))
                .replayFrom(fromGtid, point);
        if (files.isEmpty()) {
            context.log("Nothing to replay: the backup's consistent point " + fromGtid + " is already " + point);
            return;
        }
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "set -o pipefail; mariadb-binlog --no-defaults \"$@\" | mariadb --defaults-file=\"$AGENT_CNF\""
                        + " --socket=\"$SOCKET\" --binary-mode --max-allowed-packet=" + MAX_PACKET, "replay"));
        if (!fromGtid.isBlank()) {
            command.add("--start-position=" + fromGtid);
        }
        command.add(stopOption(point, fromGtid));
        for (ArchivedBinlog.File file : files) {
            context.cancellation().throwIfCancelled();
            command.add(decode(context, archive, file, directory).toString());
        }
        context.log("Replaying " + files.size() + " archived binlog file(s) from GTID '" + fromGtid + "' to " + point);
        String tenant = context.requiredParam(RestoreDags.TENANT_NAME);
        long lastSeq = files.get(files.size() - 1).endSeq();
        progress.replaying(tenant, Gtids.seqNo(fromGtid), point.scn() == null ? lastSeq : Math.min(point.scn(), lastSeq));
        try (LargePackets ignored = LargePackets.allow(instance);
             ReplayWatch watch = ReplayWatch.start(instance, seqNo -> progress.replayed(tenant, seqNo))) {
            RestoreCommands.run(context, ExternalCommand.of(command)
                    .environment("AGENT_CNF", instance.layout().agentOptionFile().toString())
                    .environment("SOCKET", instance.layout().socket().toString())
                    .environment("TZ", "UTC")
                    .timeout(Duration.ofHours(12)));
        }
    }

    /**
     * A transaction's row events reach the client as one BINLOG statement, larger than the default 16 MiB packet
     * after a bulk change (the source wrote them without any packet limit): for the replay the restored instance takes
     * packets up to the server's maximum, then its own setting again.
     */
    private record LargePackets(TenantInstance instance, long before) implements AutoCloseable {
        static LargePackets allow(TenantInstance instance) throws SQLException, IOException {
            try (Connection agent = instance.agent().connect(); Statement sql = agent.createStatement();
                 ResultSet row = sql.executeQuery("SELECT @@GLOBAL.max_allowed_packet")) {
                row.next();
                long before = row.getLong(1);
                sql.execute("SET GLOBAL max_allowed_packet = " + MAX_PACKET);
                return new LargePackets(instance, before);
            }
        }

        @Override
        public void close() throws SQLException, IOException {
            try (Connection agent = instance.agent().connect(); Statement sql = agent.createStatement()) {
                sql.execute("SET GLOBAL max_allowed_packet = " + before);
            }
        }
    }

    /** A time stops before the first event of the next second (binlog times have 1 s resolution); an SCN is inclusive. */
    private static String stopOption(RestorePoint point, String fromGtid) {
        if (point.scn() != null) {
            return "--stop-position=" + Gtids.withSeqNo(fromGtid, point.scn());
        }
        return "--stop-datetime=" + BINLOG_TIME.format(point.time().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
    }

    /**
     * The original bytes of one archived file, checked while decoded; an encrypted round needs the passphrase the
     * restore request gave for it (held in memory only, so lost with a restart of the service).
     */
    private Path decode(TaskContext context, BackupStorage archive, ArchivedBinlog.File file, Path directory)
            throws IOException {
        Path plain = directory.resolve(file.entry().name());
        char[] passphrase = null;
        if (file.piece().encrypted()) {
            passphrase = passwords.archiveRound(context.requiredParam(RestoreDags.TENANT_NAME), file.round())
                    .orElseThrow(() -> new IllegalStateException("The passphrase of encrypted archive round "
                            + file.round() + " is gone (the service restarted, or more than "
                            + RestorePasswords.LIFETIME.toHours() + " h passed); restore again with it"));
        }
        ArchiveReader.extract(archive, file.piece(), file.entry(), passphrase, plain);
        return plain;
    }
}
