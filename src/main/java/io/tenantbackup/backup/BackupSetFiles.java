package io.tenantbackup.backup;

/** Names inside a backup set directory {@code <data dest>/backup_set_<id>_full/}. */
final class BackupSetFiles {

    static final String DATA = "data.xbstream";
    static final String CHECKPOINTS = "xtrabackup_checkpoints";
    static final String INFO = "xtrabackup_info";
    /** Written last: a set directory without it is not a backup. */
    static final String MANIFEST = "manifest.json";

    private BackupSetFiles() {
    }

    static String directoryName(long backupSetId, BackupSet.Type type) {
        return "backup_set_" + backupSetId + "_" + (type == BackupSet.Type.FULL ? "full" : "inc");
    }
}
