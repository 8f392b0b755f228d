package io.tenantbackup.backup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How backup files are transformed on their way to the destination ({@code tenant-backup.backup.*}). */
@ConfigMapping(prefix = "tenant-backup.backup")
public interface BackupPipelineConfig {

    /** {@code zstd} (default) or {@code none}. */
    @WithDefault("zstd")
    String compression();

    /**
     * zstd level. Measured on 95 MB of table-like rows (2 shared cores): level 1 546 MB/s at 34.1 %, level 3
     * 130 MB/s at 38.0 %; level 1 is both faster and smaller, as in the reference's §3.
     */
    @WithName("compression-level")
    @WithDefault("1")
    int compressionLevel();

    /**
     * zstd worker threads; 0 compresses on the thread reading mariabackup (encryption, SHA-256 and the storage write
     * run on a second one either way, see codec/HandOffOutputStream). On 2 cores, 2 workers made level 1 slower (402
     * vs 546 MB/s) and only helped level 3 (199 vs 130 MB/s): mariabackup needs a core too.
     */
    @WithName("compression-workers")
    @WithDefault("0")
    int compressionWorkers();
}
