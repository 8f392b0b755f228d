package io.tenantbackup.cluster;

import io.tenantbackup.backup.BackupErrors;
import io.tenantbackup.backup.BackupService;
import io.tenantbackup.error.ServiceException;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.task.TaskState;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST|PATCH /api/v1/obcluster/backup}: one DAG that backs up every tenant through the tenant backup itself
 * ({@link BackupService#start}), so each tenant's set, manifest and restore path are those of a tenant backup.
 */
@ApplicationScoped
public class ClusterBackupService {

    public static final String FULL_DAG = "Obcluster start full backup";
    public static final String INCREMENTAL_DAG = "Obcluster start increment backup";
    public static final String BACK_UP_NODE = "Back up tenants";
    static final String MODE_PARAM = "mode";
    static final String PLUS_ARCHIVE_PARAM = "plus_archive";
    static final String ENCRYPTED_PARAM = "encrypted";
    private static final String INCREMENTAL = "incremental";

    @Inject
    ClusterTenants tenants;

    @Inject
    BackupService backups;

    @Inject
    TaskEngine engine;

    @Inject
    ClusterBackupPasswords passwords;

    /**
     * Checks every tenant as a tenant backup would (destinations, mode, a backup already running, an incremental's
     * parent) before anything is created, refuses a second cluster backup, and submits the DAG.
     */
    @Transactional
    public DagEntity start(String mode, Boolean plusArchive, String encryption) {
        List<TenantInstance> all = tenants.requireAny();
        for (TenantInstance tenant : all) {
            backups.check(tenant, mode);
        }
        unfinished().stream().findFirst().ifPresent(running -> {
            throw BackupErrors.IN_PROGRESS.exception("A cluster backup is already running: DAG " + running.genericId()
                    + " (" + running.name + ")");
        });
        boolean incremental = mode != null && mode.toLowerCase(Locale.ROOT).equals(INCREMENTAL);
        boolean encrypted = encryption != null && !encryption.isEmpty();
        Map<String, String> params = new HashMap<>();
        ClusterTenants.put(params, all);
        params.put(MODE_PARAM, incremental ? INCREMENTAL : "full");
        params.put(PLUS_ARCHIVE_PARAM, Boolean.toString(Boolean.TRUE.equals(plusArchive)));
        params.put(ENCRYPTED_PARAM, Boolean.toString(encrypted));
        DagEntity dag = engine.submit(template(incremental), params);
        if (encrypted) {
            passwords.hold(dag.id, encryption);
        }
        return dag;
    }

    /**
     * Cancels the unfinished cluster backup (it starts no further tenant and cancels those it runs) and every
     * tenant's running backup. Nothing running is 400 OB.Backup.NoRunningBackup, as for one tenant.
     */
    public void cancel(String status) {
        BackupService.requireCancelStatus(status);
        List<DagEntity> clusterDags = unfinished();
        clusterDags.forEach(dag -> engine.cancel(dag.id));
        int cancelled = clusterDags.size();
        for (TenantInstance tenant : tenants.all()) {
            if (cancelTenant(backups, tenant)) {
                cancelled++;
            }
        }
        if (cancelled == 0) {
            throw BackupErrors.NO_RUNNING_BACKUP.exception("No backup is running in the cluster; nothing to cancel");
        }
    }

    /** Cancels the tenant's running backup; false when none is running (it may have just ended). */
    static boolean cancelTenant(BackupService backups, TenantInstance tenant) {
        try {
            backups.cancel(tenant, null);
            return true;
        } catch (ServiceException e) {
            if (e.code().equals(BackupErrors.NO_RUNNING_BACKUP)) {
                return false;
            }
            throw e;
        }
    }

    @Transactional
    List<DagEntity> unfinished() {
        return DagEntity.list("name in ?1 and state not in ?2", List.of(FULL_DAG, INCREMENTAL_DAG),
                List.of(TaskState.SUCCEED, TaskState.FAILED));
    }

    static DagTemplate template(boolean incremental) {
        return DagTemplate.named(incremental ? INCREMENTAL_DAG : FULL_DAG)
                .node(BACK_UP_NODE, BackUpTenantsTask.class)
                .build();
    }
}
