package io.tenantbackup.backup;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads mariabackup's stderr while it runs (MariaDB 10.11 wording): the binlog position, the server version, the
 * final {@code completed OK!}, and the two signs that the backup cannot succeed — the server went away, or the
 * redo log is being overwritten faster than it is copied. mariabackup goes on streaming after either, so the caller
 * is told at once ({@code onFatal}) to kill it. Significant lines (not the per-file "Streaming ..." ones) are passed on for the task log.
 */
final class MariabackupOutput implements Consumer<String> {

    private static final Pattern BINLOG = Pattern.compile(
            "MySQL binlog position: filename '([^']*)', position '(\\d+)', GTID of the last change '([^']*)'");
    private static final Pattern SERVER_VERSION = Pattern.compile("Using server version (\\S+)");
    private static final List<String> FATAL = List.of("Server has gone away", "Retrying read of log");
    private static final List<String> SIGNIFICANT = List.of("rror", "FATAL", "arning", "completed OK!",
            "binlog position", "check point", "Redo log", "Using server version", "BACKUP STAGE", "Retrying",
            "gone away", "failed", "Was only able");

    private final Consumer<String> significantLines;
    private final Consumer<String> onFatal;
    private volatile String binlogFile;
    private volatile Long binlogPosition;
    private volatile String gtid;
    private volatile String serverVersion;
    private volatile boolean completedOk;
    private volatile String fatalLine;

    MariabackupOutput(Consumer<String> significantLines, Consumer<String> onFatal) {
        this.significantLines = significantLines;
        this.onFatal = onFatal;
    }

    @Override
    public void accept(String line) {
        if (!line.contains(" Streaming ") && SIGNIFICANT.stream().anyMatch(line::contains)) {
            significantLines.accept(line);
        }
        Matcher binlog = BINLOG.matcher(line);
        if (binlog.find()) {
            binlogFile = binlog.group(1);
            binlogPosition = Long.parseLong(binlog.group(2));
            gtid = binlog.group(3);
        }
        Matcher version = SERVER_VERSION.matcher(line);
        if (version.find()) {
            serverVersion = version.group(1);
        }
        if (line.trim().endsWith("completed OK!")) {
            completedOk = true;
        }
        if (fatalLine == null && FATAL.stream().anyMatch(line::contains)) {
            fatalLine = line;
            onFatal.accept(line);
        }
    }

    String binlogFile() {
        return binlogFile;
    }

    Long binlogPosition() {
        return binlogPosition;
    }

    String gtid() {
        return gtid;
    }

    String serverVersion() {
        return serverVersion;
    }

    boolean completedOk() {
        return completedOk;
    }

    /** The first line that made the backup hopeless, or null. */
    String fatalLine() {
        return fatalLine;
    }
}
