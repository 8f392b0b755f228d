-- Persisted DAG task engine: a DAG instance, its nodes (one per stage), one sub-task per node and the sub-task logs.
CREATE TABLE dag (
    id               BIGINT       NOT NULL AUTO_INCREMENT,
    name             VARCHAR(255) NOT NULL,
    stage            INT          NOT NULL,
    max_stage        INT          NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    operator         VARCHAR(16)  NOT NULL,
    maintenance_type INT          NOT NULL,
    maintenance_key  VARCHAR(255) NOT NULL,
    params           TEXT         NOT NULL,
    start_time       DATETIME(6)  NOT NULL,
    end_time         DATETIME(6)  NULL,
    PRIMARY KEY (id),
    KEY idx_dag_state (state),
    KEY idx_dag_maintenance_key (maintenance_key, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE node (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    dag_id     BIGINT       NOT NULL,
    stage      INT          NOT NULL,
    name       VARCHAR(255) NOT NULL,
    task_class VARCHAR(255) NOT NULL,
    state      VARCHAR(16)  NOT NULL,
    operator   VARCHAR(16)  NOT NULL,
    start_time DATETIME(6)  NULL,
    end_time   DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_node_dag_stage (dag_id, stage),
    CONSTRAINT fk_node_dag FOREIGN KEY (dag_id) REFERENCES dag (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE sub_task (
    id              BIGINT       NOT NULL AUTO_INCREMENT,
    node_id         BIGINT       NOT NULL,
    dag_id          BIGINT       NOT NULL,
    name            VARCHAR(255) NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    operator        VARCHAR(16)  NOT NULL,
    start_time      DATETIME(6)  NULL,
    end_time        DATETIME(6)  NULL,
    execute_times   INT          NOT NULL,
    additional_data TEXT         NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_sub_task_node (node_id),
    KEY idx_sub_task_dag (dag_id),
    CONSTRAINT fk_sub_task_node FOREIGN KEY (node_id) REFERENCES node (id),
    CONSTRAINT fk_sub_task_dag FOREIGN KEY (dag_id) REFERENCES dag (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE task_log (
    id            BIGINT      NOT NULL AUTO_INCREMENT,
    sub_task_id   BIGINT      NOT NULL,
    execute_times INT         NOT NULL,
    log_content   TEXT        NOT NULL,
    is_sync       BOOLEAN     NOT NULL,
    create_time   DATETIME(6) NOT NULL,
    update_time   DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY idx_task_log_sub_task (sub_task_id, id),
    CONSTRAINT fk_task_log_sub_task FOREIGN KEY (sub_task_id) REFERENCES sub_task (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per maintenance key (tenant name) held by an unfinished DAG: the primary key makes taking it atomic.
CREATE TABLE maintenance_lock (
    lock_key VARCHAR(255) NOT NULL,
    dag_id   BIGINT       NOT NULL,
    PRIMARY KEY (lock_key),
    KEY idx_maintenance_lock_dag (dag_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
