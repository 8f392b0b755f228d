package io.tenantbackup.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.engine.process.CommandResult;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.engine.process.RunningCommand;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * "Start backup": streams {@code mariabackup --backup --stream=xbstream} of the tenant straight into
 * {@code <set dir>/data.xbstream} (no local copy), then stores the checkpoints and info files next to it.
 * A backup counts only if mariabackup exits 0, says {@code completed OK!} and wrote xtrabackup_checkpoints.
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

    private static final Logger LOG = Logger.getLogger(StartBackupTask.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final int BUFFER = 1 << 20;

    @Inject
    ServiceConfig config;

    @Inject
    ObjectMapper json;

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        catalog.markDoing(backupSetId, context.dagId());
        BackupStorage setDir = Storages.open(context.requiredParam(BackupService.SET_URI));
        Path scratch = config.dataDir().resolve("backup-tmp").resolve("backup_set_" + backupSetId);
        deleteTree(scratch);
        Files.createDirectories(scratch.resolve("lsn"));
        try {
            context.put(MARIABACKUP_VERSION, mariabackupVersion());
            context.put(STARTED_AT, OffsetDateTime.now().toString());
            Streamed streamed = stream(context, tenant, setDir, scratch);
            MariabackupOutput output = streamed.output();
            List<StoredArtifact.StoredFile> files = new ArrayList<>(List.of(streamed.data()));
            Path checkpointsFile = scratch.resolve("lsn").resolve(BackupSetFiles.CHECKPOINTS);
            if (!Files.isRegularFile(checkpointsFile)) {
                throw new IOException("mariabackup for tenant " + tenant.name() + " reported success but wrote no "
                        + checkpointsFile);
            }
            XtrabackupCheckpoints checkpoints = XtrabackupCheckpoints.parse(
                    Files.readString(checkpointsFile), checkpointsFile.toString());
            files.add(storeSmallFile(setDir, scratch.resolve("lsn"), BackupSetFiles.CHECKPOINTS));
            files.add(storeSmallFile(setDir, scratch.resolve("lsn"), BackupSetFiles.INFO));
            context.put(FINISHED_AT, OffsetDateTime.now().toString());
            context.put(SERVER_VERSION, output.serverVersion() == null ? "unknown" : output.serverVersion());
            context.put(STORED_FILES, json.writeValueAsString(files));
            catalog.recordStream(backupSetId, output, checkpoints, streamed.inputBytes(), streamed.data().size());
            context.log("Backup set " + backupSetId + " of tenant " + tenant.name() + " streamed: to_lsn "
                    + checkpoints.toLsn() + ", binlog " + output.binlogFile() + ":" + output.binlogPosition()
                    + ", GTID '" + output.gtid() + "'");
        } finally {
            deleteTree(scratch);
        }
    }

    private record Streamed(MariabackupOutput output, StoredArtifact.StoredFile data, long inputBytes) {
    }

    /** Runs mariabackup and copies its stdout into data.xbstream. */
    private Streamed stream(TaskContext context, TenantInstance tenant, BackupStorage setDir, Path scratch)
            throws Exception {
        AtomicReference<RunningCommand> process = new AtomicReference<>();
        MariabackupOutput output = new MariabackupOutput(
                line -> context.log("mariabackup: " + line),
                line -> killIfStarted(process, "mariabackup reported: " + line));
        ExternalCommand command = ExternalCommand.of(
                        "mariabackup", "--defaults-file=" + tenant.layout().agentOptionFile(),
                        "--backup", "--stream=xbstream", "--parallel=2",
                        "--socket=" + tenant.layout().socket(),
                        "--target-dir=" + scratch.resolve("target"),
                        "--extra-lsndir=" + scratch.resolve("lsn"))
                .outputLines(output);
        context.log("Starting " + command.describe());
        try (StoredArtifact artifact = StoredArtifact.create(setDir, BackupSetFiles.DATA);
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
            context.log("Stored " + data.size() + " bytes of tenant " + tenant.name() + " in "
                    + setDir.uri().resolve(BackupSetFiles.DATA) + ", sha256 " + data.sha256());
            return new Streamed(output, data, artifact.inputBytes());
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

    private static StoredArtifact.StoredFile storeSmallFile(BackupStorage setDir, Path directory, String name)
            throws IOException {
        try (StoredArtifact artifact = StoredArtifact.create(setDir, name)) {
            artifact.stream().write(Files.readAllBytes(directory.resolve(name)));
            return artifact.commit();
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
            Storages.open(context.requiredParam(BackupService.DATA_DEST))
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
}
