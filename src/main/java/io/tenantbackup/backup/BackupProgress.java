package io.tenantbackup.backup;

import io.tenantbackup.task.TaskContext;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a streamed backup is, shown in the sub-task's additional_data and log. The total is estimated from the
 * size of the tenant's data directory (mariabackup copies the data files whole and only the redo tail), so the
 * percentage is an estimate and stays below 100 until the stream has ended.
 */
final class BackupProgress {

    static final String BYTES = "progress_bytes";
    static final String ESTIMATED_TOTAL = "estimated_total_bytes";
    static final String PERCENT = "progress_percent";
    private static final String REDO_LOG = "ib_logfile0";

    private final TaskContext context;
    private final String tenantName;
    private final long estimatedTotal;

    private BackupProgress(TaskContext context, String tenantName, long estimatedTotal) {
        this.context = context;
        this.tenantName = tenantName;
        this.estimatedTotal = estimatedTotal;
    }

    static BackupProgress start(TaskContext context, String tenantName, Path dataDir) {
        long estimate = dataFilesSize(dataDir);
        context.show(ESTIMATED_TOTAL, Long.toString(estimate));
        context.show(BYTES, "0");
        context.show(PERCENT, "0");
        return new BackupProgress(context, tenantName, estimate);
    }

    void report(long bytes) {
        long percent = estimatedTotal <= 0 ? 0 : Math.min(99, bytes * 100 / estimatedTotal);
        context.show(BYTES, Long.toString(bytes));
        context.show(PERCENT, Long.toString(percent));
        context.log(String.format("Streamed %.1f MiB of tenant %s so far (about %d%%)", bytes / 1048576.0,
                tenantName, percent));
    }

    void finished(long bytes) {
        context.show(BYTES, Long.toString(bytes));
        context.show(PERCENT, "100");
    }

    /** Files and directories the tenant's DDL removes during the walk (e.g. {@code #sql-alter-*.ibd}) are skipped. */
    private static long dataFilesSize(Path dataDir) {
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && !file.getFileName().toString().equals(REDO_LOG)) {
                        total.addAndGet(attributes.size());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException gone) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException gone) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return 0;
        }
        return total.get();
    }
}
