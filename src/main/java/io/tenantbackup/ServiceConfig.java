package io.tenantbackup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "tenant-backup")
public interface ServiceConfig {

    /** Root of the tenants' instance directories ($TENANT_BACKUP_DATA_DIR). */
    @WithName("data-dir")
    Path dataDir();

    /** Password that authenticated requests must carry; empty means no authentication. */
    @WithName("root-password")
    Optional<String> rootPassword();

    /** Backup roots destinations must lie below ($TENANT_BACKUP_ALLOWED_ROOTS, comma-separated); empty = anywhere. */
    @WithName("allowed-roots")
    Optional<List<Path>> allowedRoots();

    /** Longest time a request may spend reading a destination to plan a restore or list restore windows. */
    @WithName("restore.planning-timeout")
    @WithDefault("30s")
    Duration restorePlanningTimeout();

    /** How often the per-tenant backup gauges are read from the metadata DB (TenantMetrics' schedule). */
    @WithName("metrics.refresh-interval")
    @WithDefault("15s")
    Duration metricsRefreshInterval();
}
