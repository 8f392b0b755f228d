package io.tenantbackup.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Sets and reads a tenant's backup config. Writes go through the DAG "Set obcluster backup config for <tenant>". */
@ApplicationScoped
public class BackupConfigService {

    public static final String CHECK_NODE = "Check backup config";
    public static final String SET_NODE = "Set backup config";
    static final String CONFIG_PARAM = "backup_config";

    /** {@code GET …/backup/config/storage}. */
    public record StorageView(long tenantId, String archiveBaseUri, String dataBaseUri) {
    }

    @Inject
    ObjectMapper json;

    @Inject
    TaskEngine engine;

    /** POST: validates (both URIs required) and submits the config DAG. */
    @Transactional
    public DagEntity create(TenantInstance tenant, BackupConfigRequest request) {
        return submit(tenant, BackupConfigValidator.forCreate(request));
    }

    /** PATCH: validates and submits the config DAG; only the members given change. */
    @Transactional
    public DagEntity update(TenantInstance tenant, BackupConfigRequest request) {
        return submit(tenant, BackupConfigValidator.forUpdate(request));
    }

    public static DagTemplate template(String tenantName) {
        return DagTemplate.named("Set obcluster backup config for " + tenantName)
                .node(CHECK_NODE, CheckBackupConfigTask.class)
                .node(SET_NODE, SetBackupConfigTask.class)
                .exclusiveFor(tenantName)
                .build();
    }

    @Transactional
    public Optional<BackupConfig> find(long tenantId) {
        return Optional.ofNullable(BackupConfig.findById(tenantId));
    }

    /**
     * Locks the tenant's config row until the transaction ends; serializes backup starts of one tenant. Native SQL:
     * Hibernate's MySQL dialect writes {@code FOR UPDATE OF alias}, which MariaDB rejects.
     */
    Optional<BackupConfig> findForUpdate(long tenantId) {
        BackupConfig.getEntityManager()
                .createNativeQuery("SELECT tenant_id FROM backup_config WHERE tenant_id = ?1 FOR UPDATE")
                .setParameter(1, tenantId)
                .getResultList();
        return find(tenantId);
    }

    /** The configured destinations; empty members are "". */
    @Transactional
    public StorageView storage(TenantInstance tenant) {
        Optional<BackupConfig> config = find(tenant.id());
        return new StorageView(tenant.id(),
                config.map(c -> c.archiveBaseUri).orElse(""),
                config.map(c -> c.dataBaseUri).orElse(""));
    }

    /** The validated change a config DAG carries. */
    BackupConfigRequest change(TaskContext context) {
        try {
            return json.readValue(context.requiredParam(CONFIG_PARAM), BackupConfigRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DAG " + context.dagId() + " carries an unreadable backup config", e);
        }
    }

    /** "Check backup config" of a tenant: each destination the change gives must accept a write (dirs, write, fsync, delete). */
    public void checkDestinations(String tenantName, BackupConfigRequest change, Consumer<String> log) throws IOException {
        Map<String, String> destinations = new LinkedHashMap<>();
        destinations.put("archive", change.archiveBaseUri());
        destinations.put("data", change.dataBaseUri());
        for (Map.Entry<String, String> destination : destinations.entrySet()) {
            if (BackupConfigValidator.isEmpty(destination.getValue())) {
                continue;
            }
            BackupStorage storage = Storages.open(destination.getValue());
            storage.probe();
            log.accept("The " + destination.getKey() + " destination " + storage.uri() + " of tenant " + tenantName
                    + " is writable");
        }
    }

    /** "Set backup config" of a tenant: stores the validated change; members that are null stay as they are. */
    @Transactional
    public void persist(TenantInstance tenant, BackupConfigRequest change) {
        BackupConfig config = findForUpdate(tenant.id()).orElseGet(() -> {
            BackupConfig fresh = new BackupConfig();
            fresh.tenantId = tenant.id();
            return fresh;
        });
        config.tenantName = tenant.name();
        config.apply(change);
        config.persist();
    }

    private DagEntity submit(TenantInstance tenant, BackupConfigRequest change) {
        Map<String, String> params = TenantParams.of(tenant);
        try {
            params.put(CONFIG_PARAM, json.writeValueAsString(change));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot encode the backup config of tenant " + tenant.name(), e);
        }
        return engine.submit(template(tenant.name()), params);
    }
}
