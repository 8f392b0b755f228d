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
    static final String SET_DIRECTORY = "backup_set_dir";
    static final String PARENT_SET_ID = "parent_backup_set_id";
    static final String PARENT_DIRECTORY = "parent_backup_set_dir";
    static final String PLUS_ARCHIVE = "plus_archive";
    static final String ENCRYPTION_MODE = "encryption_mode";
    static final String ENCRYPTION_PASSWORD = "PASSWORD";
    static final String ENCRYPTION_NONE = "NONE";

    private static final String FULL = "full";
    private static final String INCREMENTAL = "incremental";
    private static final String CANCELED = "canceled";

    @Inject
    BackupConfigService configs;

    @Inject
    BackupCatalog catalog;

    @Inject
    TaskEngine engine;

    @Inject
    BackupPasswords passwords;

    /**
     * {@code POST /api/v1/tenant/{name}/backup}, after the caller's tenant checks. Validates in obshell's order
     * (archive dest, data dest, mode), then refuses a second backup of the same tenant and an incremental without a
     * completed set to build on; creates the INIT catalog row and the DAG. The encryption password stays in memory
     * ({@link BackupPasswords}), never in the DAG's persisted parameters.
     */
    @Transactional
    public DagEntity start(TenantInstance tenant, String mode, Boolean plusArchive, String encryption) {
        Startable startable = startable(tenant, mode);
        StorageUri dataDest = startable.dataDest();
        boolean incremental = startable.incremental();
        Optional<BackupSet> parent = startable.parent();
        boolean encrypted = encryption != null && !encryption.isEmpty();

        BackupSet set = catalog.createInit(tenant, incremental ? BackupSet.Type.INC : BackupSet.Type.FULL,
                Boolean.TRUE.equals(plusArchive), dataDest);
        set.encryptionMode = encrypted ? ENCRYPTION_PASSWORD : ENCRYPTION_NONE;
        Map<String, String> params = TenantParams.of(tenant);
        params.put(BACKUP_SET_ID, Long.toString(set.id));
        params.put(DATA_DEST, dataDest.toString());
        params.put(SET_DIRECTORY, set.directory());
        params.put(PLUS_ARCHIVE, Boolean.toString(set.plusArchive));
        params.put(ENCRYPTION_MODE, set.encryptionMode);
        parent.ifPresent(p -> {
            params.put(PARENT_SET_ID, Long.toString(p.id));
            params.put(PARENT_DIRECTORY, p.directory());
        });
        if (encrypted) {
            passwords.put(set.id, encryption);
        }
        try {
            DagEntity dag = engine.submit(incremental ? incrementalBackupTemplate(tenant.name())
                    : fullBackupTemplate(tenant.name()), params);
            set.dagId = dag.id;
            return dag;
        } catch (RuntimeException e) {
            passwords.discard(set.id);
            throw e;
        }
    }

    /**
     * The checks of {@link #start} without creating anything, for a caller that starts the backup later (a cluster
     * backup checks every tenant before its DAG exists).
     */
    @Transactional
    public void check(TenantInstance tenant, String mode) {
        startable(tenant, mode);
    }

    private record Startable(StorageUri dataDest, boolean incremental, Optional<BackupSet> parent) {
    }

    private Startable startable(TenantInstance tenant, String mode) {
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
        catalog.running(tenant.id()).ifPresent(running -> refuseIfStillRunning(tenant, running));
        StorageUri dataDest = StorageUri.parse(config.dataBaseUri);
        boolean incremental = normalizedMode.equals(INCREMENTAL);
        return new Startable(dataDest, incremental,
                incremental ? Optional.of(requireParent(tenant, dataDest)) : Optional.empty());
    }

    /** The newest COMPLETED set of the tenant in this data destination; its to_lsn is the incremental's start. */
    private BackupSet requireParent(TenantInstance tenant, StorageUri dataDest) {
        return catalog.newestCompleted(tenant.id(), dataDest).orElseThrow(() -> BackupErrors.NO_FULL_BACKUP.exception(
                "Tenant " + TenantParams.label(tenant) + " has no completed backup in " + dataDest
                        + " to take an incremental backup against; take a full backup first"));
    }

    /**
     * {@code PATCH /api/v1/tenant/{name}/backup}: status lower-cased, null or empty meaning canceled. Cancels the
     * running backup DAG, which kills mariabackup and removes the partial set; a set whose DAG has not reached
     * "Start backup" is ended CANCELED here. Nothing running is a 400.
     */
    @Transactional
    public void cancel(TenantInstance tenant, String status) {
        requireCancelStatus(status);
        BackupSet running = catalog.running(tenant.id())
                .filter(set -> set.dagId != null)
                .filter(set -> DagEntity.<DagEntity>findByIdOptional(set.dagId).map(d -> !d.isFinished()).orElse(false))
                .orElseThrow(() -> BackupErrors.NO_RUNNING_BACKUP.exception(
                        "No backup of tenant " + TenantParams.label(tenant) + " is running; nothing to cancel"));
        engine.cancel(running.dagId);
        passwords.discard(running.id);
        if (running.status == BackupSet.Status.INIT) {
            catalog.markEnded(running.id, BackupSet.Status.CANCELED, "Backup set " + running.id + " of tenant "
                    + tenant.name() + " was cancelled before it started");
        }
    }

    /** obshell's rule for the cancel body: lower-cased, null or "" meaning canceled; else OB.Backup.Status.Invalid. */
    public static void requireCancelStatus(String status) {
        String normalized = status == null || status.isEmpty() ? CANCELED : status.toLowerCase(Locale.ROOT);
        if (!normalized.equals(CANCELED)) {
            throw BackupErrors.STATUS_INVALID.exception(
                    String.format("Invalid backup status: %s, must be canceled", normalized));
        }
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
        return backupTemplate("Obcluster start full backup for " + tenantName);
    }

    public static DagTemplate incrementalBackupTemplate(String tenantName) {
        return backupTemplate("Obcluster start increment backup for " + tenantName);
    }

    private static DagTemplate backupTemplate(String name) {
        return DagTemplate.named(name)
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
