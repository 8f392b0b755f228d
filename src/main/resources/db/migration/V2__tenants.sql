-- Tenants: local MariaDB instances the service provisions and supervises. No password is ever stored here:
-- the service's own account lives in <home_dir>/agent.cnf (0600), the root password only in the instance.
CREATE TABLE tenant (
    id                  BIGINT       NOT NULL AUTO_INCREMENT,
    name                VARCHAR(64)  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    -- NULL until the "Start tenant instance" node has picked a free port
    port                INT          NULL,
    home_dir            VARCHAR(512) NOT NULL,
    -- 1000 + id, so it is set right after the insert that gives the id
    server_id           BIGINT       NULL,
    charset_name        VARCHAR(32)  NOT NULL,
    collation_name      VARCHAR(64)  NOT NULL,
    -- {"name": "value"}: SET GLOBAL at creation and again at every start
    variables_json      TEXT         NOT NULL,
    -- OceanBase-only fields of the create request (zone_list, primary_zone, mode, ...): recorded, not applied
    create_request_json TEXT         NOT NULL,
    created_at          DATETIME(6)  NOT NULL,
    updated_at          DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_tenant_name UNIQUE (name),
    CONSTRAINT uk_tenant_server_id UNIQUE (server_id),
    CONSTRAINT uk_tenant_port UNIQUE (port)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
