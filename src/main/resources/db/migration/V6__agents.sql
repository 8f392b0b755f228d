-- Several service instances ("agents", obshell's ip:port) share this database. Times that decide liveness and leases
-- are the database's own NOW(6), so clocks of different hosts never have to agree. Plain statements only: the same
-- SQL runs on MariaDB, MySQL 8 and OceanBase MySQL mode.

-- One row per agent identity; an agent whose heartbeat is older than the timeout is gone. A new incarnation (start)
-- replaces the previous one's token; an agent that finds its token replaced has been declared gone and stops.
CREATE TABLE agent (
    identity     VARCHAR(128) NOT NULL,
    ip           VARCHAR(64)  NOT NULL,
    port         INT          NOT NULL,
    incarnation  VARCHAR(64)  NOT NULL,
    host_name    VARCHAR(255) NOT NULL,
    data_dir     VARCHAR(512) NOT NULL,
    pid          BIGINT       NOT NULL,
    version      VARCHAR(64)  NOT NULL,
    started_at   DATETIME(6)  NOT NULL,
    heartbeat_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (identity)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The agent that hosts the tenant's mariadbd; NULL only for rows from before V6, adopted by the first agent to start.
ALTER TABLE tenant ADD COLUMN owner_agent VARCHAR(128) NULL;

-- The agent that runs the DAG (obshell's execute_agent); NULL only for rows from before V6, adopted likewise.
ALTER TABLE dag ADD COLUMN execute_agent VARCHAR(128) NULL;
-- Set when another agent failed the DAG because its agent was gone: the node's clean-up (files and processes on that
-- agent's host) is still owed, and the agent runs it when it comes back.
ALTER TABLE dag ADD COLUMN cleanup_owed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX idx_dag_execute_agent_state ON dag (execute_agent, state);

-- Leases with a fencing generation: the holder checks its generation before every write the lease guards (an archive
-- piece manifest), so a holder that paused past its lease stops instead of writing next to its successor.
CREATE TABLE agent_lease (
    lease_key   VARCHAR(255) NOT NULL,
    holder      VARCHAR(128) NOT NULL,
    incarnation VARCHAR(64)  NOT NULL,
    generation  BIGINT       NOT NULL,
    expires_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (lease_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
