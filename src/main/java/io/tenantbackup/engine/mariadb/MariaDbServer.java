package io.tenantbackup.engine.mariadb;

import io.tenantbackup.engine.process.CommandFailedException;
import io.tenantbackup.engine.process.ExternalCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Installs, starts and stops one local MariaDB server process. The server is started in its own session
 * ({@code setsid}) so that it outlives the service: a restarted service adopts it instead of starting another.
 */
public final class MariaDbServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final MariaDbLayout layout;

    public MariaDbServer(MariaDbLayout layout) {
        this.layout = layout;
    }

    public MariaDbLayout layout() {
        return layout;
    }

    /** Creates an empty data directory with {@code mariadb-install-db}; root@localhost gets no password yet. */
    public void install(Consumer<String> log) throws IOException, InterruptedException, CommandFailedException {
        layout.requireUsableSocketPath();
        Files.createDirectories(layout.binlogDir());
        ExternalCommand.of("mariadb-install-db", "--no-defaults", "--user=root",
                        "--datadir=" + layout.dataDir(), "--auth-root-authentication-method=normal",
                        "--skip-test-db")
                .timeout(Duration.ofMinutes(5))
                .outputLines(log)
                .runChecked();
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
        Files.createDirectories(layout.binlogDir());
        List<String> args = new ArrayList<>(List.of("setsid", "mariadbd", "--no-defaults", "--user=root",
                "--datadir=" + layout.dataDir(),
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
        extraOptions.forEach((name, value) -> args.add("--" + name + "=" + value));
        log.accept("Starting mariadbd on 127.0.0.1:" + port + ", server id " + serverId);
        Files.deleteIfExists(layout.pidFile());
        Process process = new ProcessBuilder(args)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        awaitReady(process, log);
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

    private void awaitReady(Process launcher, Consumer<String> log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (isRunning() && answers()) {
                log.accept("mariadbd is up (pid " + pid().orElseThrow() + ")");
                return;
            }
            if (!launcher.isAlive() && launcher.exitValue() != 0) {
                break;
            }
            Thread.sleep(200);
        }
        throw new IOException("mariadbd did not start within " + START_TIMEOUT.toSeconds() + " s: "
                + lastErrorLogLine());
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
