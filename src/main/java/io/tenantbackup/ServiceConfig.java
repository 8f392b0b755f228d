package io.tenantbackup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "tenant-backup")
public interface ServiceConfig {

    /** Root of the tenants' instance directories ($TENANT_BACKUP_DATA_DIR). */
    @WithName("data-dir")
    Path dataDir();

    /** Password that authenticated requests must carry; empty means no authentication. */
    @WithName("root-password")
    Optional<String> rootPassword();

    /** How often the per-tenant backup gauges are read from the metadata DB (TenantMetrics' schedule). */
    @WithName("metrics.refresh-interval")
    @WithDefault("15s")
    Duration metricsRefreshInterval();

    /** An http:// forward proxy for every object storage request (read by storage.S3Clients); empty = direct. */
    @WithName("storage.http-proxy")
    Optional<String> storageHttpProxy();
}
