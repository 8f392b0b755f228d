package io.tenantbackup.backup;

import io.tenantbackup.ServiceConfig;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSetWriter;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Start backup": checks the agent's privileges, then streams {@link MariabackupRun mariabackup} of the tenant
 * (incremental: from its {@link ChainLink parent}'s to_lsn) through the set's codec (zstd, then AES-GCM with the
 * {@link BackupSetKey set's key} when a password was given) straight into {@code <set dir>/data.xbstream[.zst][.enc]}
 * (no local copy), then stores the checkpoints and info files, and for {@code plus_archive} the
 * {@link BinlogCopy binlog} up to the consistent point; hands the result on as one {@link StreamedBackup}.
 * Not safe to re-run: a half-written set must be cleaned up and the backup started again.
 */
@Unremovable
@ApplicationScoped
public class StartBackupTask extends BackupSetTask {

    private static final Logger LOG = Logger.getLogger(StartBackupTask.class);

    @Inject
    ServiceConfig config;

    @Inject
    BackupPipelineConfig pipeline;

    @Override
    void run(TaskContext context, TenantInstance tenant, long backupSetId) throws Exception {
        // the agent's connection and grant query overlap the set's preparation; mariabackup starts only after them
        Concurrent<Void> privileges = Concurrent.start("backup-privileges-" + backupSetId, () -> {
            BackupPrivileges.require(tenant);
            return null;
        });
        catalog.markDoing(backupSetId, context.dagId());
        boolean encrypted = BackupService.ENCRYPTION_PASSWORD.equals(
                context.requiredParam(BackupService.ENCRYPTION_MODE));
        try (BackupSetKey key = encrypted ? BackupSetKey.fromPassword(context, passwords, tenant, backupSetId)
                : BackupSetKey.none();
             ScratchDirectory scratch = ScratchDirectory.create(config.dataDir(), backupSetId)) {
            ArtifactCodec codec = key.codec(configuredCodec());
            BackupSets sets = BackupSets.in(context.requiredParam(BackupService.DATA_DEST));
            BackupSetWriter set = sets.create(BackupService.setDirectoryName(context));
            Optional<String> parentDirectory = context.param(BackupService.PARENT_DIRECTORY);
            ChainLink chain = parentDirectory.isEmpty() ? ChainLink.full(backupSetId)
                    : ChainLink.onParent(context, tenant, backupSetId, sets, parentDirectory.get());
            BinlogPoint binlogStart = Boolean.parseBoolean(context.requiredParam(BackupService.PLUS_ARCHIVE))
                    ? BinlogPoint.current(tenant) : null;
            String mariabackupVersion = MariabackupVersion.current();
            String startedAt = OffsetDateTime.now().toString();

            privileges.await();

            List<StoredArtifact.StoredFile> files = new ArrayList<>();
            MariabackupOutput output;
            XtrabackupCheckpoints checkpoints;
            try (StoredArtifact data = set.createData(codec)) {
                output = MariabackupRun.stream(context, tenant, scratch, chain.incrementalLsn(),
                        stdout -> StreamCopy.copy(context, tenant, stdout, data));
                checkpoints = MariabackupRun.checkpoints(tenant, scratch);
                // the two small files are written and synced while the data file's sync runs
                Concurrent<List<StoredArtifact.StoredFile>> lsnFiles = Concurrent.start(
                        "backup-lsn-files-" + backupSetId, () -> set.storeLsnFiles(scratch.lsnDir(), codec));
                try {
                    files.add(commit(context, tenant, set, data));
                } finally {
                    lsnFiles.awaitQuietly();
                }
                files.addAll(lsnFiles.await());
            }
            BinlogCopy.Carried binlog = binlogStart == null ? null
                    : BinlogCopy.store(context, tenant, set, codec, binlogStart, output);
            if (binlog != null) {
                files.addAll(binlog.files());
            }

            context.publish(StreamedBackup.OUTPUT, new StreamedBackup(files, startedAt, OffsetDateTime.now().toString(),
                    new BackupSetManifest.ToolVersions(mariabackupVersion,
                            output.serverVersion() == null ? "unknown" : output.serverVersion()),
                    checkpoints, chain.parent(), chain.chainRootBackupSetId(), binlog == null ? null : binlog.range(),
                    codec.compression(), key.encryption()));
            catalog.recordStream(backupSetId, output, checkpoints,
                    files.stream().mapToLong(StoredArtifact.StoredFile::sourceSize).sum(),
                    files.stream().mapToLong(StoredArtifact.StoredFile::size).sum());
            context.log("Backup set " + backupSetId + " of tenant " + tenant.name() + " streamed: from_lsn "
                    + checkpoints.fromLsn() + ", to_lsn " + checkpoints.toLsn() + ", last_lsn " + checkpoints.lastLsn()
                    + ", binlog " + output.binlogFile()
                    + ":" + output.binlogPosition() + ", GTID '" + output.gtid() + "'");
        }
    }

    private static StoredArtifact.StoredFile commit(TaskContext context, TenantInstance tenant, BackupSetWriter set,
                                                    StoredArtifact data) throws IOException {
        StoredArtifact.StoredFile stored = data.commit();
        context.log(String.format("Stored %d bytes of tenant %s as %d bytes (%.1f %%) in %s, sha256 %s",
                stored.sourceSize(), tenant.name(), stored.size(),
                100.0 * stored.size() / Math.max(1, stored.sourceSize()), set.uri().resolve(stored.name()),
                stored.sha256()));
        return stored;
    }

    /** Removes the partial set directory; the reason was recorded by the failed run (or the base class does it). */
    @Override
    public void cleanUp(TaskContext context) {
        try {
            BackupSets.in(context.requiredParam(BackupService.DATA_DEST))
                    .delete(BackupService.setDirectoryName(context));
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Cannot remove the partial backup set of DAG %d: %s", context.dagId(), e.getMessage());
            context.log("Could not remove the partial backup set: " + e.getMessage());
        }
        super.cleanUp(context);
    }

    private ArtifactCodec configuredCodec() {
        return ArtifactCodec.configured("tenant-backup.backup.compression", pipeline.compression(),
                pipeline.compressionLevel(), pipeline.compressionWorkers());
    }
}
