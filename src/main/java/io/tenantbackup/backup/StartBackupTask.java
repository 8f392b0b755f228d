package io.tenantbackup.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.engine.process.CommandResult;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.engine.process.RunningCommand;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSetWriter;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.SetLayout;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * "Start backup": checks the agent's privileges, then streams {@code mariabackup --backup --stream=xbstream} of the
 * tenant (incremental: {@code --incremental-lsn=<parent to_lsn>}) through the set's codec (zstd, then AES-GCM when a
 * password was given) straight into {@code <set dir>/data.xbstream[.zst][.enc]} (no local copy), then stores the
 * checkpoints and info files, and for {@code plus_archive} the binlog up to the consistent point. A backup counts
 * only if mariabackup exits 0, says {@code completed OK!} and wrote xtrabackup_checkpoints.
 * mariabackup first forces an InnoDB checkpoint ({@code --innodb-log-checkpoint-now}, which flushes the dirty pages:
 * well under a second for a 128 MB buffer pool), so that {@code to_lsn}, the next incremental's base, is the backup
 * point and not the last checkpoint the server happened to take, which may be hours and gigabytes of pages older.
 * Not safe to re-run: a half-written set must be cleaned up and the backup started again.
 */
@Unremovable
@ApplicationScoped
public class StartBackupTask extends BackupSetTask {

    static final String STORED_FILES = "stored_files";
    static final String STARTED_AT = "backup_started_at";
    static final String FINISHED_AT = "backup_finished_at";
    static final String MARIABACKUP_VERSION = "mariabackup_version";
    static final String SERVER_VERSION = "server_version";
    static final String CHECKPOINTS = "checkpoints";
    static final String PARENT = "parent";
    static final String CHAIN_ROOT = "chain_root_backup_set_id";
    static final String BINLOG_RANGE = "binlog_range";
    static final String COMPRESSION = "compression";
    static final String ENCRYPTION = "encryption";

    private static final Logger LOG = Logger.getLogger(StartBackupTask.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final int BUFFER = 1 << 20;

    @Inject
    ServiceConfig config;

    @Inject
    BackupPipelineConfig pipeline;

    @Inject
    ObjectMapper json;

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        catalog.markDoing(backupSetId, context.dagId());
        BackupPrivileges.require(tenant);
        PasswordKdf kdf = PasswordKdf.fresh();
        MasterKey key = setKey(context, tenant, backupSetId, kdf);
        ArtifactCodec codec = key == null ? configuredCodec()
                : configuredCodec().encryptedWith(key, SegmentedAesGcm.DEFAULT_SEGMENT_SIZE);
        context.put(COMPRESSION, codec.compression());
        BackupSetWriter set = BackupSets.in(context.requiredParam(BackupService.DATA_DEST))
                .create(BackupService.setDirectoryName(context));
        Path scratch = config.dataDir().resolve("backup-tmp").resolve("backup_set_" + backupSetId);
        deleteTree(scratch);
        Files.createDirectories(scratch.resolve("lsn"));
        try {
            Long incrementalLsn = recordChain(context, tenant, backupSetId);
            BinlogPoint start = Boolean.parseBoolean(context.requiredParam(BackupService.PLUS_ARCHIVE))
                    ? BinlogPoint.current(tenant) : null;
            context.put(MARIABACKUP_VERSION, mariabackupVersion());
            context.put(STARTED_AT, OffsetDateTime.now().toString());
            Streamed streamed = stream(context, tenant, set, scratch, codec, incrementalLsn);
            if (key != null) {
                context.put(ENCRYPTION, json.writeValueAsString(new BackupSetManifest.Encryption(
                        SegmentedAesGcm.ALGORITHM, kdf, key.keyCheck(), SegmentedAesGcm.DEFAULT_SEGMENT_SIZE)));
            }
            MariabackupOutput output = streamed.output();
            List<StoredArtifact.StoredFile> files = new ArrayList<>(List.of(streamed.data()));
            Path lsnDir = scratch.resolve("lsn");
            Path checkpointsFile = lsnDir.resolve(SetLayout.CHECKPOINTS);
            if (!Files.isRegularFile(checkpointsFile)) {
                throw new IOException("mariabackup for tenant " + tenant.name() + " reported success but wrote no "
                        + checkpointsFile);
            }
            XtrabackupCheckpoints checkpoints = XtrabackupCheckpoints.parse(
                    Files.readString(checkpointsFile), checkpointsFile.toString());
            files.addAll(set.storeLsnFiles(lsnDir, codec));
            if (start != null) {
                files.addAll(storeBinlog(context, tenant, set, codec, start, output));
            }
            context.put(FINISHED_AT, OffsetDateTime.now().toString());
            context.put(SERVER_VERSION, output.serverVersion() == null ? "unknown" : output.serverVersion());
            context.put(CHECKPOINTS, json.writeValueAsString(checkpoints));
            context.put(STORED_FILES, json.writeValueAsString(files));
            catalog.recordStream(backupSetId, output, checkpoints,
                    files.stream().mapToLong(StoredArtifact.StoredFile::sourceSize).sum(),
                    files.stream().mapToLong(StoredArtifact.StoredFile::size).sum());
            context.log("Backup set " + backupSetId + " of tenant " + tenant.name() + " streamed: from_lsn "
                    + checkpoints.fromLsn() + ", to_lsn " + checkpoints.toLsn() + ", last_lsn " + checkpoints.lastLsn()
                    + ", binlog " + output.binlogFile()
                    + ":" + output.binlogPosition() + ", GTID '" + output.gtid() + "'");
        } finally {
            if (key != null) {
                key.close();
            }
            deleteTree(scratch);
        }
    }

    /**
     * The set's key from the password held in memory since the request, with {@code kdf}'s fresh Argon2id salt, derived
     * while mariabackup starts (its key check is recorded once the data is stored); null for an unencrypted set. Only
     * the KDF parameters and the key-check value are recorded.
     */
    private MasterKey setKey(TaskContext context, TenantInstance tenant, long backupSetId, PasswordKdf kdf)
            throws IOException {
        if (!BackupService.ENCRYPTION_PASSWORD.equals(context.requiredParam(BackupService.ENCRYPTION_MODE))) {
            context.put(ENCRYPTION, json.writeValueAsString(BackupSetManifest.Encryption.NONE));
            return null;
        }
        char[] password = passwords.take(backupSetId).orElseThrow(() -> new IllegalStateException(
                "The encryption password of backup set " + backupSetId + " of tenant " + tenant.name()
                        + " was kept in memory only and is gone (the service restarted, or the DAG waited longer"
                        + " than " + BackupPasswords.LIFETIME.toHours() + " h, before 'Start backup');"
                        + " start the backup again with its password"));
        MasterKey key;
        try {
            key = kdf.deriveConcurrently(password);
        } finally {
            Arrays.fill(password, '\0');
        }
        context.log("Backup set " + backupSetId + " of tenant " + tenant.name() + " is encrypted ("
                + SegmentedAesGcm.ALGORITHM + ", key from the password by " + kdf.algorithm() + ")");
        return key;
    }

    /**
     * Records the parent and the chain's root; returns the parent's to_lsn for an incremental, else null. The parent's
     * manifest is read from the destination, which is the source of truth: a parent gone from there fails here.
     */
    private Long recordChain(TaskContext context, TenantInstance tenant, long backupSetId) throws IOException {
        String parentDirectory = context.param(BackupService.PARENT_DIRECTORY).orElse(null);
        if (parentDirectory == null) {
            context.put(CHAIN_ROOT, Long.toString(backupSetId));
            return null;
        }
        BackupSets sets = BackupSets.in(context.requiredParam(BackupService.DATA_DEST));
        BackupSetManifest parent = sets.read(parentDirectory).manifest();
        if (parent.tenantId() != tenant.id()) {
            throw new IOException(sets.uri(parentDirectory) + " belongs to tenant " + parent.tenantName()
                    + ", not to " + tenant.name());
        }
        context.put(PARENT, json.writeValueAsString(new BackupSetManifest.Parent(parent.backupSetId(), parentDirectory,
                parent.toLsn())));
        context.put(CHAIN_ROOT, Long.toString(parent.chainRootBackupSetId()));
        context.log("Incremental backup set " + backupSetId + " of tenant " + tenant.name() + " builds on backup set "
                + parent.backupSetId() + " (to_lsn " + parent.toLsn() + ", chain root " + parent.chainRootBackupSetId()
                + ")");
        return parent.toLsn();
    }

    private record Streamed(MariabackupOutput output, StoredArtifact.StoredFile data) {
    }

    /** Runs mariabackup and copies its stdout into the data file. */
    private Streamed stream(TaskContext context, TenantInstance tenant, BackupSetWriter set, Path scratch,
                            ArtifactCodec codec, Long incrementalLsn) throws Exception {
        AtomicReference<RunningCommand> process = new AtomicReference<>();
        MariabackupOutput output = new MariabackupOutput(
                line -> context.log("mariabackup: " + line),
                line -> killIfStarted(process, "mariabackup reported: " + line));
        List<String> arguments = new ArrayList<>(List.of(
                "mariabackup", "--defaults-file=" + tenant.layout().agentOptionFile(),
                "--backup", "--innodb-log-checkpoint-now", "--stream=xbstream", "--parallel=2",
                "--socket=" + tenant.layout().socket(),
                "--target-dir=" + scratch.resolve("target"),
                "--extra-lsndir=" + scratch.resolve("lsn")));
        if (incrementalLsn != null) {
            arguments.add("--incremental-lsn=" + incrementalLsn);
        }
        ExternalCommand command = ExternalCommand.of(arguments).outputLines(output);
        context.log("Starting " + command.describe());
        try (StoredArtifact artifact = set.createData(codec);
             RunningCommand running = command.startStreaming()) {
            process.set(running);
            if (output.fatalLine() != null) {
                running.kill("mariabackup reported: " + output.fatalLine());
            }
            try (AutoCloseable hook = context.cancellation().onCancel(() -> running.kill("backup cancelled"))) {
                copy(context, tenant, running, artifact);
                CommandResult result = running.await();
                requireSuccess(context, tenant, result, output);
            }
            StoredArtifact.StoredFile data = artifact.commit();
            context.log(String.format("Stored %d bytes of tenant %s as %d bytes (%.1f %%) in %s, sha256 %s",
                    data.sourceSize(), tenant.name(), data.size(), 100.0 * data.size() / Math.max(1, data.sourceSize()),
                    set.uri().resolve(data.name()), data.sha256()));
            return new Streamed(output, data);
        }
    }

    private void copy(TaskContext context, TenantInstance tenant, RunningCommand running, StoredArtifact artifact)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        BackupProgress progress = BackupProgress.start(context, tenant.name(), tenant.layout().dataDir());
        long started = System.nanoTime();
        long nextProgress = started + PROGRESS_EVERY.toNanos();
        InputStream in = running.stdout();
        OutputStream out = artifact.stream();
        int read;
        try {
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                if (System.nanoTime() >= nextProgress) {
                    nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                    progress.report(artifact.inputBytes());
                }
            }
        } catch (IOException e) {
            running.kill("writing the backup failed");
            throw e;
        }
        progress.finished(artifact.inputBytes());
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        context.log(String.format("mariabackup of tenant %s produced %d bytes in %.1f s (%.1f MB/s)", tenant.name(),
                artifact.inputBytes(), seconds, artifact.inputBytes() / seconds / 1e6));
    }

    private static void requireSuccess(TaskContext context, TenantInstance tenant, CommandResult result,
                                       MariabackupOutput output) throws Exception {
        if (context.cancellation().isCancelled()) {
            throw new TaskCancelledException(context.cancellation().reason());
        }
        String who = "mariabackup for tenant " + tenant.name();
        if (output.fatalLine() != null) {
            throw new IOException(who + " was stopped because it reported: " + output.fatalLine());
        }
        if (result.exitCode() != 0 || result.killReason() != null) {
            String how = result.killReason() != null ? "was stopped (" + result.killReason() + ")"
                    : "exited with code " + result.exitCode();
            throw new IOException(who + " " + how + ": " + result.lastLine());
        }
        if (!output.completedOk()) {
            throw new IOException(who + " exited 0 without reporting 'completed OK!'; last line: " + result.lastLine());
        }
    }

    /**
     * plus_archive: closes the current binlog file (FLUSH BINARY LOGS), then stores the closed files from the one
     * current when the backup started through the one holding the consistent point, so the set carries them itself.
     */
    private List<StoredArtifact.StoredFile> storeBinlog(TaskContext context, TenantInstance tenant,
                                                       BackupSetWriter set, ArtifactCodec codec, BinlogPoint start,
                                                       MariabackupOutput output) throws Exception {
        if (output.binlogFile() == null) {
            throw new IOException("mariabackup for tenant " + tenant.name() + " reported no binlog position; the set"
                    + " cannot carry its binlog");
        }
        try (Connection connection = tenant.agent().connect(); Statement sql = connection.createStatement()) {
            sql.execute("FLUSH BINARY LOGS");
        }
        List<String> names = BinlogFiles.between(tenant.layout().binlogDir(), start.file(), output.binlogFile());
        List<StoredArtifact.StoredFile> stored = new ArrayList<>();
        for (String name : names) {
            context.cancellation().throwIfCancelled();
            stored.add(set.storeBinlog(tenant.layout().binlogDir().resolve(name), codec));
        }
        context.put(BINLOG_RANGE, json.writeValueAsString(new BackupSetManifest.BinlogRange(start.file(),
                start.position(), start.gtid(), output.binlogFile(), output.binlogPosition(), output.gtid(),
                stored.stream().map(StoredArtifact.StoredFile::source).toList())));
        context.log("Backup set of tenant " + tenant.name() + " carries its binlog " + start.file() + ":"
                + start.position() + " .. " + output.binlogFile() + ":" + output.binlogPosition() + " in "
                + names.size() + " file(s)");
        return stored;
    }

    /** Where the tenant's binlog stands now. */
    private record BinlogPoint(String file, long position, String gtid) {
        static BinlogPoint current(TenantInstance tenant) throws Exception {
            try (Connection connection = tenant.agent().connect(); Statement sql = connection.createStatement()) {
                String gtid;
                try (ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
                    row.next();
                    gtid = row.getString(1);
                }
                try (ResultSet status = sql.executeQuery("SHOW MASTER STATUS")) {
                    if (!status.next()) {
                        throw new IOException("Tenant " + tenant.name() + " writes no binlog; plus_archive needs one");
                    }
                    return new BinlogPoint(status.getString("File"), status.getLong("Position"), gtid);
                }
            }
        }
    }

    private static String mariabackupVersion() throws IOException, InterruptedException {
        try {
            return ExternalCommand.of("mariabackup", "--version").timeout(Duration.ofSeconds(30))
                    .runChecked().lastLine();
        } catch (io.tenantbackup.engine.process.CommandFailedException e) {
            throw new IOException("Cannot tell the mariabackup version: " + e.getMessage(), e);
        }
    }

    private static void killIfStarted(AtomicReference<RunningCommand> process, String reason) {
        RunningCommand running = process.get();
        if (running != null) {
            running.kill(reason);
        }
    }

    /** Removes the partial set directory; the reason was recorded by the failed run (or the base class does it). */
    @Override
    public void cleanUp(TaskContext context) {
        try {
            BackupSets.in(context.requiredParam(BackupService.DATA_DEST))
                    .delete(BackupService.setDirectoryName(context));
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Cannot remove the partial backup set of DAG %d: %s", context.dagId(), e.getMessage());
            context.log("Could not remove the partial backup set: " + e.getMessage());
        }
        super.cleanUp(context);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private ArtifactCodec configuredCodec() {
        return ArtifactCodec.configured("tenant-backup.backup.compression", pipeline.compression(),
                pipeline.compressionLevel(), pipeline.compressionWorkers());
    }
}
