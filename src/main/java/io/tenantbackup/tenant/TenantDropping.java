package io.tenantbackup.tenant;

/** Fired (synchronously) by "Drop tenant" before its instance stops, so other domains let go of the tenant first. */
public record TenantDropping(long tenantId, String tenantName) {
}
