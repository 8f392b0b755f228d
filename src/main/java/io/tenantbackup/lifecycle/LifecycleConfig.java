package io.tenantbackup.lifecycle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of scheduled expiry. {@link ExpiryScheduler}'s {@code @Scheduled} reads the same keys by expression; this
 * mapping declares them, with their defaults, so that a misspelt or malformed setting fails the start.
 */
@ConfigMapping(prefix = "tenant-backup.lifecycle")
public interface LifecycleConfig {

    /** How often each tenant with a delete policy gets its expiry DAG ($TENANT_BACKUP_LIFECYCLE_EXPIRE_INTERVAL). */
    @WithDefault("1h")
    Duration expireInterval();

    /** How long after the start the first round waits ($TENANT_BACKUP_LIFECYCLE_EXPIRE_DELAY). */
    @WithDefault("5m")
    Duration expireDelay();
}
