package io.tenantbackup.restore;

import io.tenantbackup.engine.process.CommandResult;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.engine.process.RunningCommand;
import io.tenantbackup.task.BatchedLog;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.task.TaskContext;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Runs a restore's external programs with their output in the task log, stopped at once by a cancel. */
final class RestoreCommands {

    /**
     * Bounds on what a program's output adds to the task log: a replay that fails on a large row event makes the
     * client echo the whole statement, hundreds of thousands of lines, each a row of the task log.
     */
    static final int MAX_LOGGED_LINES = 10_000;
    static final int MAX_LINE_CHARS = 1_000;

    private RestoreCommands() {
    }

    /** Runs the program to its end; a non-zero exit or a cancel fails the task. */
    static CommandResult run(TaskContext context, ExternalCommand command) throws Exception {
        return run(context, command, null);
    }

    /**
     * {@link #run}, and once the program succeeded {@code doneLine} (unless null) goes into the log with its last output
     * lines.
     */
    static CommandResult run(TaskContext context, ExternalCommand command, String doneLine) throws Exception {
        try (BatchedLog output = new BatchedLog(context::log);
             RunningCommand running = start(command, output);
             AutoCloseable hook = context.cancellation().onCancel(() -> running.kill("restore cancelled"))) {
            CommandResult result = running.await();
            if (context.cancellation().isCancelled()) {
                throw new TaskCancelledException(context.cancellation().reason());
            }
            result.requireSuccess();
            if (doneLine != null) {
                output.accept(doneLine);
            }
            return result;
        }
    }

    /**
     * Starts the program with its "Running" line first in the batch of its output: the line is not worth a commit of
     * its own while the program waits to start (readers see it with the first output, at most a linger later).
     */
    private static RunningCommand start(ExternalCommand command, BatchedLog output) throws IOException {
        output.accept("Running " + command.describe());
        return command.outputLines(capped(output)).start();
    }

    /** Logs the first {@link #MAX_LOGGED_LINES} lines, each cut to {@link #MAX_LINE_CHARS}; the error keeps the last. */
    private static Consumer<String> capped(Consumer<String> log) {
        AtomicLong lines = new AtomicLong();
        return line -> {
            long number = lines.incrementAndGet();
            if (number <= MAX_LOGGED_LINES) {
                log.accept(line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + " [cut]");
            } else if (number == MAX_LOGGED_LINES + 1) {
                log.accept("[the program's further output is not logged; its last lines end the error if it fails]");
            }
        };
    }
}
