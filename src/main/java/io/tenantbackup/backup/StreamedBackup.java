package io.tenantbackup.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.task.GenericId;
import io.tenantbackup.task.NodeOutput;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.util.List;

/**
 * What "Start backup" hands on to "Wait backup Finish": the files it stored and what the set's manifest says of them
 * besides what the catalog row holds (the binlog point of the backup, its type).
 */
record StreamedBackup(@JsonProperty("files") List<StoredArtifact.StoredFile> files,
                      @JsonProperty("started_at") String startedAt,
                      @JsonProperty("finished_at") String finishedAt,
                      @JsonProperty("tool_versions") BackupSetManifest.ToolVersions toolVersions,
                      @JsonProperty("checkpoints") XtrabackupCheckpoints checkpoints,
                      @JsonProperty("parent") BackupSetManifest.Parent parent,
                      @JsonProperty("chain_root_backup_set_id") long chainRootBackupSetId,
                      @JsonProperty("binlog_range") BackupSetManifest.BinlogRange binlogRange,
                      @JsonProperty("compression") String compression,
                      @JsonProperty("encryption") BackupSetManifest.Encryption encryption) {

    static final NodeOutput<StreamedBackup> OUTPUT = NodeOutput.named("streamed_backup", StreamedBackup.class);

    /**
     * The output of "Start backup". A DAG whose "Start backup" ran under the earlier version holds its results among
     * the parameters, as eleven strings this version does not read: it fails here, saying what to do.
     */
    static StreamedBackup of(TaskContext context, long backupSetId) {
        return context.output(OUTPUT).orElseThrow(() -> new IllegalStateException("DAG "
                + GenericId.encode(context.dagId()) + " (" + context.dagName() + ") holds no result of 'Start backup'"
                + " ('" + OUTPUT.name() + "'): it was started by an earlier version of the service, which handed node"
                + " results on as DAG parameters. Backup set " + backupSetId + " was streamed but is not verified and"
                + " has no manifest: start the backup again"));
    }

    BackupSetManifest manifest(long backupSetId, TenantInstance tenant, BackupSet row) {
        return new BackupSetManifest(BackupSetManifest.FORMAT_VERSION, backupSetId, tenant.id(), tenant.name(),
                row.backupType.name(), startedAt, finishedAt,
                checkpoints.fromLsn(), checkpoints.toLsn(), checkpoints.lastLsn(),
                row.binlogFile, row.binlogPosition, row.gtid,
                parent, chainRootBackupSetId, binlogRange != null, binlogRange, toolVersions, compression, encryption,
                files);
    }
}
