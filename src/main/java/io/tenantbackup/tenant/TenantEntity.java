package io.tenantbackup.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;

/** A tenant's row (table {@code tenant}, V2). Holds no password. */
@Entity
@Table(name = "tenant")
public class TenantEntity extends PanacheEntityBase {

    /** server_id = this + id: unique per tenant and clear of the small ids people give by hand. */
    static final long SERVER_ID_BASE = 1000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 64)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public TenantStatus status;

    public Integer port;

    @Column(name = "home_dir", nullable = false, length = 512)
    public String homeDir;

    @Column(name = "server_id")
    public Long serverId;

    @Column(name = "charset_name", nullable = false, length = 32)
    public String charset;

    @Column(name = "collation_name", nullable = false, length = 64)
    public String collation;

    @Column(name = "variables_json", nullable = false, columnDefinition = "TEXT")
    public String variablesJson;

    @Column(name = "create_request_json", nullable = false, columnDefinition = "TEXT")
    public String createRequestJson;

    /** The {@code ip:port} of the agent that hosts the instance; only it supervises, archives and runs DAGs. */
    @Column(name = "owner_agent", length = 128)
    public String ownerAgent;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public MariaDbLayout layout() {
        return new MariaDbLayout(Path.of(homeDir));
    }

    /** The instance as other domains use it; it exists once "Start tenant instance" has recorded a port. */
    public TenantInstance instance() {
        if (port == null) {
            throw new IllegalStateException("Tenant '" + name + "' has no port yet: its instance was never started");
        }
        return new TenantInstance(id, name, port, layout());
    }

    public Map<String, String> variables() {
        return TenantJson.readStringMap(variablesJson);
    }

    /** Server options the instance is started with, besides those MariaDbServer always sets. */
    public Map<String, String> serverOptions() {
        return Map.of("character-set-server", charset, "collation-server", collation);
    }

    @PrePersist
    void beforeInsert() {
        createdAt = OffsetDateTime.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void beforeUpdate() {
        updatedAt = OffsetDateTime.now();
    }
}
