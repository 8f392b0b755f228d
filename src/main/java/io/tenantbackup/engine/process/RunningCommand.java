package io.tenantbackup.engine.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A started {@link ExternalCommand}. Closing it kills the process tree if it is still alive. */
public final class RunningCommand implements AutoCloseable {

    private static final int TAIL_LINES = 20;

    private final ExternalCommand command;
    private final Process process;
    private final boolean streaming;
    private final Thread lineReader;
    private final Deque<String> tail = new ArrayDeque<>();
    private final AtomicReference<String> killReason = new AtomicReference<>();

    private RunningCommand(ExternalCommand command, Process process, boolean streaming) {
        this.command = command;
        this.process = process;
        this.streaming = streaming;
        InputStream lines = streaming ? process.getErrorStream() : process.getInputStream();
        this.lineReader = new Thread(() -> pumpLines(lines), "output-" + process.pid());
        lineReader.setDaemon(true);
        lineReader.start();
    }

    static RunningCommand start(ExternalCommand command, ProcessBuilder builder, boolean streaming) throws IOException {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("Cannot start '" + command.arguments().get(0) + "': " + e.getMessage(), e);
        }
        return new RunningCommand(command, process, streaming);
    }

    /** The program's stdout as bytes; only for commands started with {@link ExternalCommand#startStreaming()}. */
    public InputStream stdout() {
        if (!streaming) {
            throw new IllegalStateException("stdout of '" + command.describe() + "' is read as lines");
        }
        return process.getInputStream();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the end of the program, killing it when its timeout runs out. */
    public CommandResult await() throws InterruptedException {
        if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            kill("timed out after " + command.timeout());
            process.waitFor();
        }
        lineReader.join(TimeUnit.SECONDS.toMillis(10));
        return new CommandResult(command.describe(), process.exitValue(), tail(), killReason.get());
    }

    /** Kills the program and all its descendants at once; {@code reason} is reported by the result. */
    public void kill(String reason) {
        killReason.compareAndSet(null, reason);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    public synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill("closed before it ended");
        }
    }

    private void pumpLines(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                remember(line);
                command.lineSink().accept(line);
            }
        } catch (IOException ignored) {
            // the process is gone; its exit code tells the rest
        }
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }
}
