package io.tenantbackup.restore;

import io.tenantbackup.engine.process.CommandResult;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.engine.process.RunningCommand;
import io.tenantbackup.task.BatchedLog;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.task.TaskContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/** Runs a restore's external programs with their output in the task log, stopped at once by a cancel. */
final class RestoreCommands {

    private static final int BUFFER = 1 << 20;
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
        return feed(context, command, InputStream.nullInputStream(), bytes -> { });
    }

    /** {@link #run}, and once the program succeeded {@code doneLine} goes into the log with its last output lines. */
    static CommandResult run(TaskContext context, ExternalCommand command, String doneLine) throws Exception {
        return feed(context, command, InputStream.nullInputStream(), bytes -> { }, doneLine);
    }

    /**
     * Runs the program with {@code input} as its stdin, reporting the bytes fed. A failure to read the input (a
     * corrupt backup file, say) kills the program and is the task's error; a program that stops reading early is
     * reported by its own output, unless the rest of the input turns out corrupt.
     */
    static CommandResult feed(TaskContext context, ExternalCommand command, InputStream input, LongConsumer fed)
            throws Exception {
        return feed(context, command, input, fed, null);
    }

    private static CommandResult feed(TaskContext context, ExternalCommand command, InputStream input,
                                      LongConsumer fed, String doneLine) throws Exception {
        try (BatchedLog output = new BatchedLog(context::log);
             RunningCommand running = start(command, output);
             AutoCloseable hook = context.cancellation().onCancel(() -> running.kill("restore cancelled"))) {
            try (OutputStream stdin = running.stdin()) {
                copy(input, stdin, fed);
            } catch (StoppedReading e) {
                if (!context.cancellation().isCancelled()) {
                    // a corrupt input is the real cause when it is one: reading to its end says so, naming the file
                    input.transferTo(OutputStream.nullOutputStream());
                }
            } catch (IOException e) {
                running.kill("its input failed");
                context.cancellation().throwIfCancelled();
                throw e;
            }
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
        return command.outputLines(capped(output)).startFeeding();
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

    private static void copy(InputStream input, OutputStream output, LongConsumer fed) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int read;
        while ((read = input.read(buffer)) >= 0) {
            try {
                output.write(buffer, 0, read);
            } catch (IOException e) {
                throw new StoppedReading(e);
            }
            fed.accept(read);
        }
    }

    /** The program closed its stdin (it ended or failed); its exit code and output say why. */
    private static final class StoppedReading extends IOException {
        StoppedReading(IOException cause) {
            super(cause);
        }
    }
}
