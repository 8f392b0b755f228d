-- Read paths. GET .../backup/info: the newest COMPLETED set of a tenant by end time is read straight from this index
-- instead of sorting all of the tenant's completed sets. It covers every query of the (tenant_id, status) index it
-- replaces. Plain CREATE/DROP INDEX: the same statements run on MySQL, MariaDB and OceanBase MySQL mode.
CREATE INDEX idx_backup_set_tenant_status_end ON backup_set (tenant_id, status, end_time);
DROP INDEX idx_backup_set_tenant_status ON backup_set;

-- Bumped each time the DAG ends (SUCCEED or FAILED, again after a RETRY, ROLLBACK or PASS): with the state it names one
-- finished incarnation of the DAG, which is what the read cache keys on. end_time cannot: it is stored to the second.
ALTER TABLE dag ADD COLUMN finish_count INT NOT NULL DEFAULT 0;
