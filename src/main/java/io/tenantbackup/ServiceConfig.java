package io.tenantbackup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.tenantbackup.exposure.PlainHttp;

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

    /**
     * Accept the well-known metadata account {@code tenant_backup}/{@code tenant_backup}: for the demo and the
     * tests only ($TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS).
     */
    @WithName("allow-default-db-credentials")
    @WithDefault("false")
    boolean allowDefaultDbCredentials();

    /** Which clients may use the API over plain HTTP ($TENANT_BACKUP_PLAIN_HTTP: loopback or any). */
    @WithName("plain-http")
    @WithDefault("loopback")
    PlainHttp plainHttp();

    /** Most tenants (created and restored, whatever their state) the service keeps ($TENANT_BACKUP_MAX_TENANTS). */
    @WithName("max-tenants")
    @WithDefault("64")
    int maxTenants();

    /** How often the per-tenant backup gauges are read from the metadata DB (TenantMetrics' schedule). */
    @WithName("metrics.refresh-interval")
    @WithDefault("15s")
    Duration metricsRefreshInterval();

    /** An http:// forward proxy for every object storage request (read by storage.S3Clients); empty = direct. */
    @WithName("storage.http-proxy")
    Optional<String> storageHttpProxy();
}
