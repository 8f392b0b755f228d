package io.tenantbackup.tenant;

/** Life cycle of a tenant row; only NORMAL tenants are supervised and offered to other domains. */
public enum TenantStatus {
    CREATING,
    /** Reserved by a restore: port and server id are set, the datadir comes from a backup; not supervised yet. */
    RESTORING,
    NORMAL,
    DROPPING
}
