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

    /** zstd level; 1 was both faster and as small as 3 on InnoDB pages (bench/, reference §3). */
    @WithName("compression-level")
    @WithDefault("1")
    int compressionLevel();

    /** zstd worker threads; 0 compresses on the writing thread. */
    @WithName("compression-workers")
    @WithDefault("2")
    int compressionWorkers();
}
