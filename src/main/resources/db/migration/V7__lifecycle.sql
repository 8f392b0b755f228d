-- Lifecycle (issue 10). expired_at: when expiry deleted the set from its destination; the row stays for history, and
-- verification does not report an expired set as missing.
ALTER TABLE backup_set ADD COLUMN expired_at DATETIME NULL;

-- The latest verification of each subject of a tenant's destinations: a backup set (its directory name) or the
-- archive. A run over all sets replaces every row of the tenant; a run over one set replaces that set's row.
CREATE TABLE backup_verification (
    tenant_id      BIGINT        NOT NULL,
    subject        VARCHAR(64)   NOT NULL,
    backup_set_id  BIGINT        NULL,
    status         VARCHAR(16)   NOT NULL,
    reason         TEXT          NULL,
    verified_at    DATETIME      NOT NULL,
    dag_id         BIGINT        NULL,
    PRIMARY KEY (tenant_id, subject)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
