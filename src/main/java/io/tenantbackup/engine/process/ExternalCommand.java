package io.tenantbackup.engine.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The one place where external programs (mariabackup, mariadbd, mariadb-install-db, ...) are started: output is
 * captured line by line, a timeout is enforced and a kill takes the whole process tree. Arguments must never carry a
 * secret: they are visible in the process list and are logged.
 */
public final class ExternalCommand {

    private final List<String> arguments;
    private Duration timeout = Duration.ofHours(12);
    private Consumer<String> outputLines = line -> { };
    private Path directory;
    private final Map<String, String> environment = new TreeMap<>();

    private ExternalCommand(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        this.arguments = List.copyOf(arguments);
    }

    public static ExternalCommand of(String... arguments) {
        return new ExternalCommand(List.of(arguments));
    }

    public static ExternalCommand of(List<String> arguments) {
        return new ExternalCommand(arguments);
    }

    public ExternalCommand timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Receives every line the program writes to stderr (and to stdout, unless stdout is read as data). */
    public ExternalCommand outputLines(Consumer<String> sink) {
        this.outputLines = sink;
        return this;
    }

    public ExternalCommand directory(Path workingDirectory) {
        this.directory = workingDirectory;
        return this;
    }

    public ExternalCommand environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public List<String> arguments() {
        return arguments;
    }

    /** The command as a reader sees it in a log: program name and arguments. */
    public String describe() {
        return String.join(" ", arguments);
    }

    /** Starts the program with its stdout available as a byte stream ({@link RunningCommand#stdout()}). */
    public RunningCommand startStreaming() throws IOException {
        return RunningCommand.start(this, processBuilder(false), true);
    }

    /** Starts the program (stdin /dev/null, stdout and stderr as lines), for a caller that may kill it before its end. */
    public RunningCommand start() throws IOException {
        return RunningCommand.start(this, processBuilder(true), false);
    }

    /** Runs the program to its end, stdout and stderr both as lines; the result says how it ended. */
    public CommandResult run() throws IOException, InterruptedException {
        return start().await();
    }

    /** Like {@link #run()}, but a non-zero exit becomes a {@link CommandFailedException}. */
    public CommandResult runChecked() throws IOException, InterruptedException, CommandFailedException {
        return run().requireSuccess();
    }

    Duration timeout() {
        return timeout;
    }

    Consumer<String> lineSink() {
        return outputLines;
    }

    private ProcessBuilder processBuilder(boolean mergeStdout) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(arguments));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        builder.redirectErrorStream(mergeStdout);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return builder;
    }
}
