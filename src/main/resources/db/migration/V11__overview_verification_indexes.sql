-- The backup overview, which dashboards poll per tenant, reads the time of the tenant's latest verification and the
-- number of its sets found INVALID or MISSING. With these two indexes both are index lookups (the first a single
-- index dive, the second a range over the failed rows only) instead of a scan of every verification row of the tenant.
CREATE INDEX idx_backup_verification_tenant_time ON backup_verification (tenant_id, verified_at);
CREATE INDEX idx_backup_verification_tenant_status ON backup_verification (tenant_id, status, backup_set_id);
