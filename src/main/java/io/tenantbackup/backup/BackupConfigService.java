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
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tenantbackup.storage.StorageCredentials;
import io.tenantbackup.storage.StorageUri;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sets and reads a tenant's backup config. Writes go through the DAG "Set obcluster backup config for <tenant>".
 * The config row keeps the destination URIs with their access keys (the metadata DB is the one place they are
 * stored); the DAG's parameters and every read show them redacted. Between the request and the "Set backup config"
 * node the change with its keys is held in memory ({@link #pendingChanges}); after a restart in between the DAG
 * fails and asks for the config again, unless the keys of those destinations are known from the stored config.
 */
@ApplicationScoped
public class BackupConfigService {

    public static final String CHECK_NODE = "Check backup config";
    public static final String SET_NODE = "Set backup config";
    static final String CONFIG_PARAM = "backup_config";

    /** {@code GET …/backup/config/storage}. */
    public record StorageView(long tenantId, String archiveBaseUri, String dataBaseUri,
                              Optional<BackupConfigRequest.DeletePolicy> deletePolicy) {
    }

    @Inject
    ObjectMapper json;

    @Inject
    TaskEngine engine;

    /** Per tenant: the config DAG in flight and its change with the keys. */
    private final Map<Long, PendingChange> pendingChanges = new ConcurrentHashMap<>();

    private record PendingChange(long dagId, BackupConfigRequest change) {
        @Override
        public String toString() {
            return "PendingChange[dagId=" + dagId + "]";
        }
    }

    /** The stored destinations' keys, before anything (the archivers at startup) opens them. */
    void rememberStoredKeys(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> BackupConfig.<BackupConfig>listAll()
                .forEach(config -> rememberKeys(config.dataBaseUri, config.archiveBaseUri)));
    }

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

    /** The configured destinations, redacted (empty members are ""), and the delete policy if there is one. */
    @Transactional
    public StorageView storage(TenantInstance tenant) {
        Optional<BackupConfig> config = find(tenant.id());
        return new StorageView(tenant.id(),
                config.map(c -> redacted(c.archiveBaseUri)).orElse(""),
                config.map(c -> redacted(c.dataBaseUri)).orElse(""),
                config.filter(c -> c.deletePolicy != null)
                        .map(c -> new BackupConfigRequest.DeletePolicy(c.deletePolicy, c.deleteRecoveryWindow)));
    }

    /** The validated change a config DAG carries, with the destinations' keys. */
    BackupConfigRequest change(TaskContext context) {
        TenantInstance tenant = TenantParams.from(context);
        PendingChange pending = pendingChanges.get(tenant.id());
        if (pending != null && pending.dagId() == context.dagId()) {
            return pending.change();
        }
        BackupConfigRequest shown;
        try {
            shown = json.readValue(context.requiredParam(CONFIG_PARAM), BackupConfigRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DAG " + context.dagId() + " carries an unreadable backup config", e);
        }
        return withKnownKeys(shown, tenant.name());
    }

    /**
     * A change as a DAG's parameters show it (redacted URIs) with the keys this process holds for its destinations;
     * fails when the keys were held in memory only and the service restarted since.
     */
    public static BackupConfigRequest withKnownKeys(BackupConfigRequest shown, String tenantName) {
        for (String uri : new String[] {shown.dataBaseUri(), shown.archiveBaseUri()}) {
            if (!BackupConfigValidator.isEmpty(uri) && !StorageCredentials.known(StorageUri.parse(uri))) {
                throw new IllegalStateException("The access keys of " + uri + " in the backup config of tenant "
                        + tenantName + " were held in memory only and the service restarted; send the config again");
            }
        }
        return shown.withUris(uri -> BackupConfigValidator.isEmpty(uri) ? uri
                : StorageCredentials.complete(StorageUri.parse(uri)).withCredentials());
    }

    /** The change as a DAG's parameters may show it: the destinations without their keys. */
    public static BackupConfigRequest redacted(BackupConfigRequest change) {
        return change.withUris(BackupConfigService::redacted);
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
        rememberKeys(change.dataBaseUri(), change.archiveBaseUri());
        pendingChanges.remove(tenant.id());
    }

    private DagEntity submit(TenantInstance tenant, BackupConfigRequest change) {
        Map<String, String> params = TenantParams.of(tenant);
        try {
            params.put(CONFIG_PARAM, json.writeValueAsString(redacted(change)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot encode the backup config of tenant " + tenant.name(), e);
        }
        DagEntity dag = engine.submit(template(tenant.name()), params);
        pendingChanges.put(tenant.id(), new PendingChange(dag.id, change));
        return dag;
    }

    private static void rememberKeys(String... uris) {
        for (String uri : uris) {
            if (!BackupConfigValidator.isEmpty(uri)) {
                StorageCredentials.remember(StorageUri.parse(uri));
            }
        }
    }

    private static String redacted(String uri) {
        return BackupConfigValidator.isEmpty(uri) ? uri : StorageUri.parse(uri).redacted();
    }
}
