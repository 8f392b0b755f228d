package io.tenantbackup.backup;

import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/** Copies mariabackup's stream into the set's data artifact, showing the progress every few seconds. */
final class StreamCopy {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final int BUFFER = 1 << 20;

    private StreamCopy() {
    }

    static void copy(TaskContext context, TenantInstance tenant, InputStream in, StoredArtifact artifact)
            throws IOException {
        byte[] buffer = new byte[BUFFER];
        BackupProgress progress = BackupProgress.start(context, tenant.name(), tenant.layout().dataDir());
        long started = System.nanoTime();
        long nextProgress = started + PROGRESS_EVERY.toNanos();
        OutputStream out = artifact.stream();
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            if (System.nanoTime() >= nextProgress) {
                nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                progress.report(artifact.inputBytes());
            }
        }
        progress.finished(artifact.inputBytes());
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        context.log(String.format("mariabackup of tenant %s produced %d bytes in %.1f s (%.1f MB/s)", tenant.name(),
                artifact.inputBytes(), seconds, artifact.inputBytes() / seconds / 1e6));
    }
}
