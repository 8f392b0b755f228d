package io.tenantbackup.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.backup.BackupConfigRequest;
import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.backup.BackupConfigValidator;
import io.tenantbackup.storage.StorageUri;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * {@code POST|PATCH /api/v1/obcluster/backup/config}: obshell's ClusterBackupConfigParam turned into one tenant config
 * per tenant, each validated by the tenant rules before the DAG "Set obcluster backup config" exists. Its tasks store
 * each tenant's config exactly as the tenant route does, so a tenant backup cannot tell the two apart.
 */
@ApplicationScoped
public class ClusterBackupConfigService {

    public static final String DAG_NAME = "Set obcluster backup config";
    public static final String CHECK_NODE = "Check backup config";
    public static final String SET_NODE = "Set backup config";
    private static final String CONFIG_PARAM_PREFIX = "backup_config.";
    static final String DATA_DIR = "data";
    static final String ARCHIVE_DIR = "clog";

    /** The body of the route; every member may be null (not given). */
    public record ClusterConfigRequest(String backupBaseUri, Integer logArchiveConcurrency, Integer haLowThreadScore,
                                       String binding, String pieceSwitchInterval, String archiveLagTarget,
                                       BackupConfigRequest.DeletePolicy deletePolicy) {
    }

    @Inject
    ClusterTenants tenants;

    @Inject
    ClusterConfig cluster;

    @Inject
    TaskEngine engine;

    @Inject
    ObjectMapper json;

    /** Per config DAG, each tenant's change with the destinations' keys, which the DAG's parameters leave out. */
    private final Map<Long, Map<String, BackupConfigRequest>> pendingChanges = new ConcurrentHashMap<>();

    /** POST: {@code backup_base_uri} is required (400 OB.Backup.BaseUriEmpty). */
    @Transactional
    public DagEntity create(ClusterConfigRequest request) {
        if (isEmpty(request.backupBaseUri())) {
            throw ClusterErrors.BASE_URI_EMPTY.exception("backup_base_uri is empty");
        }
        return submit(request, BackupConfigValidator::forCreate);
    }

    /** PATCH: archive settings need the base URI in the same request, as in obshell. */
    @Transactional
    public DagEntity update(ClusterConfigRequest request) {
        if (isEmpty(request.backupBaseUri())) {
            if (!isEmpty(request.binding())) {
                throw ClusterErrors.BASE_URI_EMPTY.exception("If binding is set, backup_base_uri must be set");
            }
            if (!isEmpty(request.pieceSwitchInterval())) {
                throw ClusterErrors.BASE_URI_EMPTY.exception(
                        "If piece_switch_interval is set, backup_base_uri must be set");
            }
        }
        return submit(request, BackupConfigValidator::forUpdate);
    }

    public static DagTemplate template() {
        return DagTemplate.named(DAG_NAME)
                .node(CHECK_NODE, CheckClusterBackupConfigTask.class)
                .node(SET_NODE, SetClusterBackupConfigTask.class)
                .build();
    }

    /** The validated change of one tenant that the DAG carries, with the destinations' keys. */
    BackupConfigRequest change(TaskContext context, String tenantName) {
        BackupConfigRequest pending = pendingChanges.getOrDefault(context.dagId(), Map.of()).get(tenantName);
        if (pending != null) {
            return pending;
        }
        try {
            BackupConfigRequest shown = json.readValue(context.requiredParam(CONFIG_PARAM_PREFIX + tenantName),
                    BackupConfigRequest.class);
            return BackupConfigService.withKnownKeys(shown, tenantName);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DAG " + context.dagId() + " carries an unreadable backup config for tenant "
                    + tenantName, e);
        }
    }

    /** Every tenant's change of the DAG is stored: its keys are now known from the stored configs. */
    void saved(TaskContext context) {
        pendingChanges.remove(context.dagId());
    }

    private DagEntity submit(ClusterConfigRequest request, UnaryOperator<BackupConfigRequest> tenantRules) {
        List<TenantInstance> all = tenants.requireAny();
        StorageUri base = isEmpty(request.backupBaseUri()) ? null : StorageUri.parse(request.backupBaseUri());
        Map<String, String> params = new HashMap<>();
        Map<String, BackupConfigRequest> changes = new HashMap<>();
        ClusterTenants.put(params, all);
        for (TenantInstance tenant : all) {
            BackupConfigRequest change = tenantRules.apply(forTenant(request, base, tenant));
            changes.put(tenant.name(), change);
            try {
                params.put(CONFIG_PARAM_PREFIX + tenant.name(),
                        json.writeValueAsString(BackupConfigService.redacted(change)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("Cannot encode the backup config of tenant " + tenant.name(), e);
            }
        }
        DagEntity dag = engine.submit(template(), params);
        pendingChanges.put(dag.id, changes);
        return dag;
    }

    /** obshell's layout: {@code <base>/<cluster id>/<tenant id>/data} and {@code …/clog}. */
    private BackupConfigRequest forTenant(ClusterConfigRequest request, StorageUri base, TenantInstance tenant) {
        StorageUri tenantBase = base == null ? null : base.resolve(cluster.id() + "/" + tenant.id());
        return new BackupConfigRequest(
                tenantBase == null ? null : tenantBase.resolve(DATA_DIR).withCredentials(),
                tenantBase == null ? null : tenantBase.resolve(ARCHIVE_DIR).withCredentials(),
                request.logArchiveConcurrency(), request.haLowThreadScore(), request.binding(),
                request.pieceSwitchInterval(), request.archiveLagTarget(), request.deletePolicy());
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
