package io.tenantbackup.backup;

import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/** Copies mariabackup's stream into the set's data artifact, showing the progress every few seconds. */
final class StreamCopy {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private StreamCopy() {
    }

    /**
     * {@code in} is mariabackup's stdout read ahead: {@code transferTo} writes its chunks as they are, a copy of the
     * stream fewer than reading them into a buffer of ours.
     */
    static void copy(TaskContext context, TenantInstance tenant, InputStream in, StoredArtifact artifact)
            throws IOException {
        BackupProgress progress = BackupProgress.start(context, tenant.name(), tenant.layout().dataDir());
        long started = System.nanoTime();
        in.transferTo(new Reporting(artifact, progress));
        progress.finished(artifact.inputBytes());
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        context.log(String.format("mariabackup of tenant %s produced %d bytes in %.1f s (%.1f MB/s)", tenant.name(),
                artifact.inputBytes(), seconds, artifact.inputBytes() / seconds / 1e6));
    }

    /** The artifact's stream, reporting the bytes taken every {@link #PROGRESS_EVERY}; not closed by the copy. */
    private static final class Reporting extends FilterOutputStream {
        private final StoredArtifact artifact;
        private final BackupProgress progress;
        private long nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();

        Reporting(StoredArtifact artifact, BackupProgress progress) {
            super(artifact.stream());
            this.artifact = artifact;
            this.progress = progress;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            if (System.nanoTime() >= nextReport) {
                nextReport = System.nanoTime() + PROGRESS_EVERY.toNanos();
                progress.report(artifact.inputBytes());
            }
        }
    }
}
