package io.tenantbackup.tenant;

/** Life cycle of a tenant row; only NORMAL tenants are supervised and offered to other domains. */
public enum TenantStatus {
    CREATING,
    NORMAL,
    DROPPING
}
