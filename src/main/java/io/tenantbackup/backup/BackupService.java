package io.tenantbackup.backup;

import io.tenantbackup.storage.StorageUri;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Starts backups of a tenant: obshell's validation, the catalog row and the DAG, in one transaction. */
@ApplicationScoped
public class BackupService {

    public static final String CHECK_DESTINATION_NODE = "Check destination";
    public static final String OPEN_ARCHIVE_LOG_NODE = "Open archive log";
    public static final String START_BACKUP_NODE = "Start backup";
    public static final String WAIT_BACKUP_FINISH_NODE = "Wait backup Finish";

    static final String BACKUP_SET_ID = "backup_set_id";
    static final String DATA_DEST = "data_base_uri";
    static final String SET_URI = "backup_set_uri";
    static final String SET_DIRECTORY = "backup_set_dir";

    private static final String FULL = "full";
    private static final String INCREMENTAL = "incremental";

    @Inject
    BackupConfigService configs;

    @Inject
    BackupCatalog catalog;

    @Inject
    TaskEngine engine;

    /**
     * {@code POST /api/v1/tenant/{name}/backup}, after the caller's tenant checks. Validates in obshell's order
     * (archive dest, data dest, mode), then refuses what is not built yet (incremental, plus_archive, encryption)
     * and a second backup of the same tenant; creates the INIT catalog row and the DAG.
     */
    @Transactional
    public DagEntity start(TenantInstance tenant, String mode, Boolean plusArchive, String encryption) {
        BackupConfig config = configs.findForUpdate(tenant.id()).orElse(null);
        if (config == null || BackupConfigValidator.isEmpty(config.archiveBaseUri)) {
            throw BackupErrors.ARCHIVE_DEST_EMPTY.exception("Archive destination is empty, tenant: " + TenantParams.label(tenant));
        }
        if (BackupConfigValidator.isEmpty(config.dataBaseUri)) {
            throw BackupErrors.DATA_DEST_EMPTY.exception("Data backup destination is empty, tenant: " + TenantParams.label(tenant));
        }
        String normalizedMode = mode == null || mode.isEmpty() ? FULL : mode.toLowerCase(Locale.ROOT);
        if (!normalizedMode.equals(FULL) && !normalizedMode.equals(INCREMENTAL)) {
            throw BackupErrors.MODE_INVALID.exception(
                    String.format("Invalid backup mode: %s, must be full or incremental", normalizedMode));
        }
        if (normalizedMode.equals(INCREMENTAL)) {
            throw BackupErrors.FEATURE_NOT_SUPPORTED.exception("Incremental backup is not supported yet");
        }
        if (Boolean.TRUE.equals(plusArchive)) {
            throw BackupErrors.FEATURE_NOT_SUPPORTED.exception("Backup plus archive log is not supported yet");
        }
        if (encryption != null && !encryption.isEmpty()) {
            throw BackupErrors.FEATURE_NOT_SUPPORTED.exception("Encrypted backup is not supported yet");
        }
        catalog.running(tenant.id()).ifPresent(running -> refuseIfStillRunning(tenant, running));

        StorageUri dataDest = StorageUri.parse(config.dataBaseUri);
        BackupSet set = catalog.createInit(tenant, BackupSet.Type.FULL, false, dataDest);
        Map<String, String> params = TenantParams.of(tenant);
        params.put(BACKUP_SET_ID, Long.toString(set.id));
        params.put(DATA_DEST, dataDest.toString());
        params.put(SET_URI, set.path);
        params.put(SET_DIRECTORY, BackupSetFiles.directoryName(set.id, set.backupType));
        DagEntity dag = engine.submit(fullBackupTemplate(tenant.name()), params);
        set.dagId = dag.id;
        return dag;
    }

    /**
     * A row stays INIT/DOING if its DAG ended without reaching a backup task (e.g. cancelled between nodes); such a
     * row is closed here instead of blocking the tenant for good.
     */
    private void refuseIfStillRunning(TenantInstance tenant, BackupSet running) {
        Optional<DagEntity> dag = running.dagId == null ? Optional.empty()
                : DagEntity.<DagEntity>findByIdOptional(running.dagId);
        if (dag.isPresent() && dag.get().isFinished()) {
            catalog.markEnded(running.id, BackupSet.Status.FAILED, "DAG " + dag.get().genericId() + " ("
                    + dag.get().name + ") ended " + dag.get().state + " before backup set " + running.id + " finished");
            return;
        }
        throw BackupErrors.IN_PROGRESS.exception("A backup of tenant " + tenant.name() + " is already running: backup set "
                + running.id + dag.map(d -> " in DAG " + d.genericId() + " (" + d.name + ")").orElse(""));
    }

    public static DagTemplate fullBackupTemplate(String tenantName) {
        return DagTemplate.named("Obcluster start full backup for " + tenantName)
                .node(CHECK_DESTINATION_NODE, CheckDestinationTask.class)
                .node(OPEN_ARCHIVE_LOG_NODE, OpenArchiveLogTask.class)
                .node(START_BACKUP_NODE, StartBackupTask.class)
                .node(WAIT_BACKUP_FINISH_NODE, WaitBackupFinishTask.class)
                .build();
    }

    static long backupSetId(TaskContext context) {
        return Long.parseLong(context.requiredParam(BACKUP_SET_ID));
    }

    static String setDirectoryName(TaskContext context) {
        return context.requiredParam(SET_DIRECTORY);
    }
}
