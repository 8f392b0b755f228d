package io.tenantbackup.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The obcluster routes' settings ({@code tenant-backup.cluster.*}). */
@ConfigMapping(prefix = "tenant-backup.cluster")
public interface ClusterConfig {

    /**
     * The {@code <cluster id>} of {@code <backup_base_uri>/<cluster id>/<tenant id>/{data|clog}}, obshell's
     * {@code cluster_id}. Give each service that shares a base URI its own id.
     */
    @WithDefault("1")
    long id();

    /**
     * How many tenants a cluster backup backs up at once. Each runs mariabackup and a zstd stream, i.e. about a core
     * and the tenant's disk bandwidth; 2 keeps a small host responsive while twenty tenants still finish in turn.
     */
    @WithName("parallel-tenants")
    @WithDefault("2")
    int parallelTenants();
}
