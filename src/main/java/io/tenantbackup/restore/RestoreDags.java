package io.tenantbackup.restore;

import io.tenantbackup.task.DagTemplate;

/**
 * The restore DAG (obshell's name and five nodes), obshell's cancel DAG, and their parameter names. No parameter
 * carries a secret.
 */
final class RestoreDags {

    static final String START_RESTORE_NODE = "Start restore";

    static final String TENANT_NAME = "tenant_name";
    static final String SOURCE_TENANT = "backup_tenant_name";
    /** The source tenant's id as its backup sets record it (obshell's backup_tenant_id). */
    static final String SOURCE_TENANT_ID = "backup_tenant_id";
    static final String DATA_URI = "backup_data_uri";
    static final String ARCHIVE_URI = "backup_log_uri";
    /** Set directories below the data destination, comma-separated, full first. */
    static final String CHAIN = "backup_set_list";
    static final String POINT_KIND = "restore_point_kind";
    static final String POINT_VALUE = "restore_point";
    /** Newest point only: the GTID seq_no the replay goes to, when it is restorable up to, and why it ends there. */
    static final String NEWEST_SCN = "newest_point_scn";
    static final String NEWEST_TIME = "newest_point_time";
    static final String POINT_NOTE = "restore_point_note";
    /** GTID position of the last set's consistent point: where the tenant's own GTID state starts. */
    static final String SET_GTID = "backup_gtid";
    static final String CONCURRENCY = "concurrency";
    /** The server version that took the chain's last set, for 'Upgrade tenant' (absent in DAGs of older versions). */
    static final String BACKUP_SERVER = "backup_server_version";
    static final String TOTAL_BYTES = "total_bytes";
    static final String FINISH_BYTES = "finish_bytes";
    static final String RECOVER_GTID = "recover_gtid";
    static final String OPTIONS = "restore_option";

    private RestoreDags() {
    }

    static String name(String tenant) {
        return "Restore backup_" + tenant;
    }

    /** obshell's DAG for a restore that has no restore DAG to roll back: it removes what the restore left. */
    static DagTemplate cancel(String tenant) {
        return DagTemplate.named("Cancel restore " + tenant)
                .node("Cancel restore", CancelRestoreTask.class)
                .node("Drop resource pool", DropRestoredTenantTask.class)
                .exclusiveFor(tenant)
                .build();
    }

    static DagTemplate restore(String tenant) {
        return DagTemplate.named(name(tenant))
                .node("Pre restore check", PreRestoreCheckTask.class)
                .node(START_RESTORE_NODE, StartRestoreTask.class)
                .node("Wait restore task finish", WaitRestoreTaskFinishTask.class)
                .node("Active tenant", ActiveTenantTask.class)
                .node("Upgrade tenant", UpgradeTenantTask.class)
                .exclusiveFor(tenant)
                .build();
    }
}
