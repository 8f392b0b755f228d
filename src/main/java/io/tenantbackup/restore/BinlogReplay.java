package io.tenantbackup.restore;

import com.github.luben.zstd.ZstdInputStream;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Replays the source's archived binlog on the restored instance from the last set's GTID to the point, in ONE client
 * session ({@code mariadb-binlog ... files... | mariadb}), so transactions spanning files and session state survive.
 * The events keep their original GTIDs. Each archived file is checked (size, SHA-256) while it is decompressed.
 */
@ApplicationScoped
public class BinlogReplay {

    /** MariaDB's largest max_allowed_packet, 1 GiB. */
    private static final long MAX_PACKET = 1L << 30;
    private static final DateTimeFormatter BINLOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

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
            command.add(decode(archive, file, directory).toString());
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

    private static Path decode(BackupStorage archive, ArchivedBinlog.File file, Path directory) throws IOException {
        Path plain = directory.resolve(file.entry().name());
        MessageDigest digest = sha256();
        String where = archive.uri().resolve(file.storedPath()).toString();
        try (InputStream stored = archive.open(file.storedPath());
             DigestInputStream hashed = new DigestInputStream(stored, digest);
             InputStream in = new ZstdInputStream(hashed)) {
            Files.copy(in, plain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            hashed.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            if (e instanceof CorruptArtifactException) {
                throw e;
            }
            throw new CorruptArtifactException(where + " cannot be decoded: " + e.getMessage());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(file.entry().sha256())) {
            throw new CorruptArtifactException(where + " has SHA-256 " + actual + " but its piece manifest says "
                    + file.entry().sha256());
        }
        if (Files.size(plain) != file.entry().binlogSize()) {
            throw new CorruptArtifactException(where + " decompresses to " + Files.size(plain) + " bytes, not "
                    + file.entry().binlogSize());
        }
        return plain;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }
}
