package io.tenantbackup.engine.mariadb;

import io.tenantbackup.engine.process.CommandFailedException;
import io.tenantbackup.engine.process.ExternalCommand;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Installs, starts and stops one local MariaDB server process. The server is started in its own session
 * ({@code setsid}) so that it outlives the service: a restarted service adopts it instead of starting another. It
 * runs as its {@link InstanceUser}, reads and writes files for SQL only in its {@code --secure-file-priv} directory
 * and follows no symbolic links; its directories are 0700 and belong to that user.
 */
public final class MariaDbServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration READY_POLL = Duration.ofMillis(5);
    /** How long one connection waits for the greeting; a server that exits closes it at once. */
    private static final Duration GREETING_PATIENCE = Duration.ofSeconds(1);

    /** The home directory: the service owns it, the instance's user may create files (sticky: not remove ours). */
    private static final int SHARED_HOME_MODE = 01770;
    private static final int PRIVATE_MODE = 0700;

    private final MariaDbLayout layout;
    private final InstanceUser user;

    public MariaDbServer(MariaDbLayout layout) {
        this.layout = layout;
        this.user = InstanceUser.of(layout);
    }

    public MariaDbLayout layout() {
        return layout;
    }

    public InstanceUser user() {
        return user;
    }

    /** Creates an empty data directory with {@code mariadb-install-db}; root@localhost gets no password yet. */
    public void install(Consumer<String> log) throws IOException, InterruptedException, CommandFailedException {
        prepareDirectories(log);
        List<String> args = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults",
                "--datadir=" + layout.dataDir(), "--tmpdir=" + layout.tmpDir(), "--auth-root-authentication-method=normal",
                "--skip-test-db"));
        user.name().ifPresent(name -> args.add("--user=" + name));
        ExternalCommand.of(args)
                .timeout(Duration.ofMinutes(5))
                .outputLines(log)
                .runChecked();
    }

    /**
     * Creates the instance's user and directories, or puts right their owners and modes (a datadir restored or
     * installed by the service belongs to the user afterwards). The agent option file stays the service's, 0600, in
     * a home the user can add files to (socket, pid file, error log) but not remove ours from.
     */
    public void prepareDirectories(Consumer<String> log) throws IOException, InterruptedException {
        layout.requireUsableSocketPath();
        user.ensureExists(log);
        Files.createDirectories(layout.home());
        Files.setAttribute(layout.home(), "unix:mode", user.name().isPresent() ? SHARED_HOME_MODE : PRIVATE_MODE);
        user.shareGroup(layout.home());
        for (Path directory : List.of(layout.dataDir(), layout.binlogDir(), layout.secureFileDir(), layout.tmpDir())) {
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                user.ownTree(directory, log);
                Files.setAttribute(directory, "unix:mode", PRIVATE_MODE);
            } else {
                // empty: no chown -R process needed
                user.createPrivateDirectory(directory);
            }
        }
        if (Files.exists(layout.errorLog(), LinkOption.NOFOLLOW_LINKS)) {
            user.own(layout.errorLog());
        }
    }

    /**
     * Makes {@code gtids} (GTIDs such as {@code 0-1-27}) the GTID state of the binlog that the instance's first start
     * creates, as MariaDB provisions a server from a copy without its binlogs: a mariadbd that finds no binlog reads
     * the state file. So the first binlog begins with that state, and no RESET MASTER and SET GLOBAL gtid_binlog_state
     * rotate it again after the start. Once the instance has a binlog (a start read the state file also next to a
     * cleanly closed binlog, over the GTIDs in it), nothing is written.
     */
    public void seedBinlogState(List<String> gtids) throws IOException {
        if (!Files.exists(layout.binlogIndex(), LinkOption.NOFOLLOW_LINKS)) {
            user.writeOwnFile(layout.binlogStateFile(), String.join("\n", gtids) + "\n");
        }
    }

    /**
     * Starts {@code mariadbd} detached, with binlog on (ROW, GTID) and the given settings, and waits until it
     * accepts connections on its socket. {@code extraOptions} are {@code name -> value} server options.
     */
    public void start(int port, long serverId, Map<String, String> extraOptions, Consumer<String> log)
            throws IOException, InterruptedException {
        if (isRunning()) {
            log.accept("mariadbd already running with pid " + pid().orElseThrow());
            return;
        }
        prepareDirectories(log);
        List<String> args = new ArrayList<>(List.of("setsid", "mariadbd", "--no-defaults",
                "--secure-file-priv=" + layout.secureFileDir(),
                "--skip-symbolic-links",
                "--datadir=" + layout.dataDir(),
                "--tmpdir=" + layout.tmpDir(),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + layout.socket(),
                "--pid-file=" + layout.pidFile(),
                "--log-error=" + layout.errorLog(),
                "--log-bin=" + layout.binlogBase(),
                "--server-id=" + serverId,
                "--binlog-format=ROW",
                "--log-slave-updates=ON",
                "--innodb-file-per-table=1"));
        user.name().ifPresent(name -> args.add("--user=" + name));
        extraOptions.forEach((name, value) -> args.add("--" + name + "=" + value));
        Files.deleteIfExists(layout.pidFile());
        long errorLogStart = errorLogSize();
        FileTime launched = FileTime.from(Instant.now());
        Process process = new ProcessBuilder(args)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        // logged while mariadbd boots: a caller's commit of the line costs no wait
        log.accept("Starting mariadbd on 127.0.0.1:" + port + ", server id " + serverId);
        awaitReady(process, launched, errorLogStart, log);
    }

    /** Whether the process named by the pid file is alive and is a mariadbd. */
    public boolean isRunning() {
        return process().isPresent();
    }

    /**
     * The live mariadbd named by the pid file. A stale pid file can name a pid the system has since given to another
     * process, so a process whose program cannot be seen to be mariadbd never counts (and is never signalled).
     */
    private Optional<ProcessHandle> process() {
        return pid().flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(c -> c.endsWith("/mariadbd")).orElse(false));
    }

    public Optional<Long> pid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(layout.pidFile()).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops the server with SIGTERM (a clean InnoDB shutdown), then SIGKILL if it does not end in time. */
    public void stop(Consumer<String> log) throws InterruptedException {
        Optional<ProcessHandle> handle = process();
        if (handle.isEmpty()) {
            return;
        }
        log.accept("Stopping mariadbd (pid " + handle.get().pid() + ")");
        handle.get().destroy();
        try {
            handle.get().onExit().get(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.accept("mariadbd did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it");
            handle.get().destroyForcibly();
            handle.get().onExit().join();
        }
    }

    /**
     * Waits for the server to greet on its socket. The cheap signs (a socket file created by this start, a live
     * mariadbd named by the pid file, which was removed before the launch) are looked at every {@link #READY_POLL};
     * once they are there, a connection waits for the greeting, which comes the moment the server accepts
     * connections. A launcher that exits with an error ends the wait with the first error of this start's log.
     */
    private void awaitReady(Process launcher, FileTime launched, long errorLogStart, Consumer<String> log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (socketCreatedSince(launched) && isRunning()
                    && ServerGreeting.arrives(layout.socket(), GREETING_PATIENCE)) {
                log.accept("mariadbd is up (pid " + pid().orElseThrow() + ")");
                return;
            }
            if (!launcher.isAlive() && launcher.exitValue() != 0) {
                throw new IOException("mariadbd exited with code " + launcher.exitValue()
                        + " before it accepted connections: " + startError(errorLogStart));
            }
            Thread.sleep(READY_POLL.toMillis());
        }
        throw new IOException("mariadbd did not start within " + START_TIMEOUT.toSeconds() + " s: "
                + startError(errorLogStart));
    }

    private boolean socketCreatedSince(FileTime launched) {
        try {
            return Files.getLastModifiedTime(layout.socket(), LinkOption.NOFOLLOW_LINKS).compareTo(launched) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private long errorLogSize() {
        try {
            return Files.size(layout.errorLog());
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Why this start failed, from what it wrote to the error log after {@code from}: its first error (mariadbd ends
     * with a plain "Aborting" after the cause), else its last line.
     */
    private String startError(long from) {
        List<String> lines;
        try (SeekableByteChannel errorLog = Files.newByteChannel(layout.errorLog())) {
            errorLog.position(from <= errorLog.size() ? from : 0);
            lines = new String(Channels.newInputStream(errorLog).readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            return "no error log at " + layout.errorLog();
        }
        return lines.stream().filter(line -> line.contains("[ERROR]")).findFirst()
                .orElse(lines.isEmpty() ? "the error log says nothing" : lines.get(lines.size() - 1));
    }
}
