package io.tenantbackup.backup;

import io.tenantbackup.codec.ReadAhead;
import io.tenantbackup.engine.process.CommandFailedException;
import io.tenantbackup.engine.process.CommandResult;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.engine.process.RunningCommand;
import io.tenantbackup.repository.backupset.SetLayout;
import io.tenantbackup.task.BatchedLog;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code mariabackup --backup --stream=xbstream} of a tenant, and the checks that make it count: exit 0,
 * {@code completed OK!} said, no fatal line (one kills it at once), xtrabackup_checkpoints written. It first forces an
 * InnoDB checkpoint ({@code --innodb-log-checkpoint-now}, which flushes the dirty pages: well under a second for a
 * 128 MB buffer pool), so that {@code to_lsn}, the next incremental's base, is the backup point and not the last
 * checkpoint the server happened to take, which may be hours and gigabytes of pages older.
 */
final class MariabackupRun {

    /**
     * How far ahead of the copy (zstd) mariabackup's stdout is read: a pipe holds 64 KiB, so without this mariabackup
     * waits on its write whenever the copy compresses, writes the task log or reports progress.
     */
    private static final int READ_AHEAD_CHUNK = 1 << 20;
    private static final int READ_AHEAD_CHUNKS = 16;

    /** Takes mariabackup's stdout; an IOException stops mariabackup. */
    @FunctionalInterface
    interface StdoutSink {
        void copy(InputStream stdout) throws IOException;
    }

    private MariabackupRun() {
    }

    static String version() throws IOException, InterruptedException {
        try {
            return ExternalCommand.of("mariabackup", "--version").timeout(Duration.ofSeconds(30))
                    .runChecked().lastLine();
        } catch (CommandFailedException e) {
            throw new IOException("Cannot tell the mariabackup version: " + e.getMessage(), e);
        }
    }

    /**
     * Runs mariabackup (incremental from {@code incrementalLsn} unless null) with its stdout going to {@code sink};
     * returns what it said once it has succeeded. Cancelling the DAG kills it.
     */
    static MariabackupOutput stream(TaskContext context, TenantInstance tenant, ScratchDirectory scratch,
                                    Long incrementalLsn, StdoutSink sink) throws Exception {
        AtomicReference<RunningCommand> process = new AtomicReference<>();
        BatchedLog log = new BatchedLog(context::log);
        MariabackupOutput output = new MariabackupOutput(
                line -> log.accept("mariabackup: " + line),
                line -> killIfStarted(process, "mariabackup reported: " + line));
        ExternalCommand command = ExternalCommand.of(arguments(tenant, scratch, incrementalLsn)).outputLines(output);
        context.log("Starting " + command.describe());
        try (log; RunningCommand running = command.startStreaming()) {
            process.set(running);
            if (output.fatalLine() != null) {
                running.kill("mariabackup reported: " + output.fatalLine());
            }
            try (AutoCloseable hook = context.cancellation().onCancel(() -> running.kill("backup cancelled"))) {
                InputStream stdout = ReadAhead.start(running.stdout(), READ_AHEAD_CHUNK, READ_AHEAD_CHUNKS,
                        "read mariabackup of " + tenant.name());
                try {
                    sink.copy(stdout);
                } catch (IOException e) {
                    if (output.fatalLine() == null && !context.cancellation().isCancelled()) {
                        running.kill("writing the backup failed");
                        throw e;
                    }
                    // mariabackup was stopped (its output closed under the copy): the reason is what it reported
                } finally {
                    // after a kill: the reading thread then sees the pipe's end at once
                    stdout.close();
                }
                requireSuccess(context, tenant, running.await(), output);
            }
        }
        return output;
    }

    /** The checkpoints mariabackup wrote beside its stream; a run that succeeded without them does not count. */
    static XtrabackupCheckpoints checkpoints(TenantInstance tenant, ScratchDirectory scratch) throws IOException {
        Path file = scratch.lsnDir().resolve(SetLayout.CHECKPOINTS);
        if (!Files.isRegularFile(file)) {
            throw new IOException("mariabackup for tenant " + tenant.name() + " reported success but wrote no " + file);
        }
        return XtrabackupCheckpoints.parse(Files.readString(file), file.toString());
    }

    private static List<String> arguments(TenantInstance tenant, ScratchDirectory scratch, Long incrementalLsn) {
        List<String> arguments = new ArrayList<>(List.of(
                "mariabackup", "--defaults-file=" + tenant.layout().agentOptionFile(),
                "--backup", "--innodb-log-checkpoint-now", "--stream=xbstream", "--parallel=2",
                "--socket=" + tenant.layout().socket(),
                "--target-dir=" + scratch.target(),
                "--extra-lsndir=" + scratch.lsnDir()));
        if (incrementalLsn != null) {
            arguments.add("--incremental-lsn=" + incrementalLsn);
        }
        return arguments;
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

    private static void killIfStarted(AtomicReference<RunningCommand> process, String reason) {
        RunningCommand running = process.get();
        if (running != null) {
            running.kill(reason);
        }
    }
}
