package io.tenantbackup.engine.mariadb;

import io.tenantbackup.engine.process.CommandFailedException;
import io.tenantbackup.engine.process.ExternalCommand;

import java.io.IOException;
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
    private static final Duration READY_POLL = Duration.ofMillis(20);
    private static final Duration PING_INTERVAL = Duration.ofMillis(200);

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
        log.accept("Starting mariadbd on 127.0.0.1:" + port + ", server id " + serverId);
        Files.deleteIfExists(layout.pidFile());
        FileTime launched = FileTime.from(Instant.now());
        Process process = new ProcessBuilder(args)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        awaitReady(process, launched, log);
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
     * Waits for the server to answer on its socket. The cheap signs (live process, a socket file created by this
     * start) are looked at every {@link #READY_POLL}; {@code mariadb-admin ping}, a process of its own, runs as soon as
     * they are all there, and every {@link #PING_INTERVAL} regardless (a socket file can be a crashed run's).
     */
    private void awaitReady(Process launcher, FileTime launched, Consumer<String> log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        long nextPing = System.nanoTime() + PING_INTERVAL.toNanos();
        while (System.nanoTime() < deadline) {
            boolean due = socketCreatedSince(launched) || System.nanoTime() >= nextPing;
            if (due && isRunning()) {
                nextPing = System.nanoTime() + PING_INTERVAL.toNanos();
                if (answers()) {
                    log.accept("mariadbd is up (pid " + pid().orElseThrow() + ")");
                    return;
                }
            }
            if (!launcher.isAlive() && launcher.exitValue() != 0) {
                break;
            }
            Thread.sleep(READY_POLL.toMillis());
        }
        throw new IOException("mariadbd did not start within " + START_TIMEOUT.toSeconds() + " s: "
                + lastErrorLogLine());
    }

    private boolean socketCreatedSince(FileTime launched) {
        try {
            return Files.getLastModifiedTime(layout.socket(), LinkOption.NOFOLLOW_LINKS).compareTo(launched) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean answers() throws InterruptedException {
        try {
            return ExternalCommand.of("mariadb-admin", "--no-defaults", "--socket=" + layout.socket(),
                            "--user=UNKNOWN_MYSQL_USER", "--connect-timeout=2", "ping")
                    .timeout(Duration.ofSeconds(5)).run().tail().stream()
                    .anyMatch(line -> line.contains("Access denied") || line.contains("is alive"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The last line of the server's error log, which says why it did not start. */
    public String lastErrorLogLine() {
        try {
            List<String> lines = Files.readAllLines(layout.errorLog());
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i);
                }
            }
        } catch (IOException e) {
            return "no error log at " + layout.errorLog();
        }
        return "error log is empty";
    }
}
