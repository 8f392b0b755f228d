-- Continuous binlog archiving ("archive log"), one row per tenant. The archived files and their piece manifests in
-- the archive destination are the source of truth; this row carries the switch and a cache of the progress.

CREATE TABLE archive_log (
    tenant_id    BIGINT        NOT NULL,
    tenant_name  VARCHAR(128)  NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    round_id     BIGINT        NOT NULL,
    path         VARCHAR(1024) NOT NULL,
    start_time   DATETIME(6)   NOT NULL,
    start_file   VARCHAR(255)  NULL,
    last_file    VARCHAR(255)  NULL,
    last_gtid_pos VARCHAR(1024) NULL,
    checkpoint   DATETIME(6)   NULL,
    comment      VARCHAR(4096) NULL,
    updated_at   DATETIME(6)   NOT NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
