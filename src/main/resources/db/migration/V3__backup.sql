-- Backup configuration (one row per tenant) and the backup catalog (one row per backup set).

CREATE TABLE backup_config (
    tenant_id               BIGINT        NOT NULL,
    tenant_name             VARCHAR(128)  NOT NULL,
    data_base_uri           VARCHAR(1024) NULL,
    archive_base_uri        VARCHAR(1024) NULL,
    log_archive_concurrency INT           NULL,
    ha_low_thread_score     INT           NULL,
    binding                 VARCHAR(16)   NULL,
    piece_switch_interval   VARCHAR(32)   NULL,
    archive_lag_target      VARCHAR(32)   NULL,
    delete_policy           VARCHAR(32)   NULL,
    delete_recovery_window  VARCHAR(32)   NULL,
    updated_at              DATETIME(6)   NOT NULL,
    PRIMARY KEY (tenant_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE backup_set (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    tenant_id       BIGINT        NOT NULL,
    tenant_name     VARCHAR(128)  NOT NULL,
    dag_id          BIGINT        NULL,
    backup_type     VARCHAR(8)    NOT NULL,
    plus_archive    BOOLEAN       NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    path            VARCHAR(1024) NOT NULL,
    start_time      DATETIME(6)   NOT NULL,
    end_time        DATETIME(6)   NULL,
    start_scn       BIGINT        NULL,
    end_scn         BIGINT        NULL,
    input_bytes     BIGINT        NOT NULL DEFAULT 0,
    output_bytes    BIGINT        NOT NULL DEFAULT 0,
    from_lsn        BIGINT        NULL,
    to_lsn          BIGINT        NULL,
    binlog_file     VARCHAR(255)  NULL,
    binlog_position BIGINT        NULL,
    gtid            VARCHAR(1024) NULL,
    encryption_mode VARCHAR(16)   NOT NULL,
    comment         VARCHAR(4096) NULL,
    result          INT           NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    KEY idx_backup_set_tenant_start (tenant_id, start_time),
    KEY idx_backup_set_tenant_status (tenant_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
