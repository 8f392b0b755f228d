package io.tenantbackup.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A program's output lines into the task log a batch at a time: a line waits at most {@link #LINGER_MILLIS} for the
 * ones after it. {@code mariabackup --move-back} prints two lines per file; written one commit each, they held a
 * 1 GB restore up by seconds (the program waits on its output pipe, the task on the output's end), and a backup's
 * last lines by a commit each after mariabackup had finished.
 */
public final class BatchedLog implements Consumer<String>, AutoCloseable {

    static final long LINGER_MILLIS = 200;
    private static final int MAX_BATCH = 1_000;
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "task-log-flusher");
        thread.setDaemon(true);
        return thread;
    });

    private final Consumer<List<String>> log;
    private List<String> pending = new ArrayList<>();

    public BatchedLog(Consumer<List<String>> log) {
        this.log = log;
    }

    @Override
    public synchronized void accept(String line) {
        pending.add(line);
        if (pending.size() == 1) {
            FLUSHER.schedule(this::flush, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else if (pending.size() >= MAX_BATCH) {
            flush();
        }
    }

    /** Writes what is pending, in order. */
    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<String> lines = pending;
        pending = new ArrayList<>();
        log.accept(lines);
    }

    @Override
    public void close() {
        flush();
    }
}
