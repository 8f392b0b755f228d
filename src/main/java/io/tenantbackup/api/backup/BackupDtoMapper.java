package io.tenantbackup.api.backup;

import io.tenantbackup.api.model.BackupConfigRequest;
import io.tenantbackup.api.model.BackupJob;
import io.tenantbackup.api.model.BackupTask;
import io.tenantbackup.api.model.LastVerification;
import io.tenantbackup.backup.BackupQueryService;
import io.tenantbackup.backup.BackupSet;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Objects;

/** Catalog rows in OceanBase's CDB_OB_BACKUP_TASKS / backup job shapes; API config bodies to the domain's. */
@ApplicationScoped
public class BackupDtoMapper {

    io.tenantbackup.backup.BackupConfigRequest config(BackupConfigRequest body) {
        if (body == null) {
            return new io.tenantbackup.backup.BackupConfigRequest(null, null, null, null, null, null, null, null);
        }
        var policy = body.getDeletePolicy() == null ? null
                : new io.tenantbackup.backup.BackupConfigRequest.DeletePolicy(
                        body.getDeletePolicy().getPolicy(), body.getDeletePolicy().getRecoveryWindow());
        return new io.tenantbackup.backup.BackupConfigRequest(body.getDataBaseUri(), body.getArchiveBaseUri(),
                body.getLogArchiveConcurrency(), body.getHaLowThreadScore(), body.getBinding(),
                body.getPieceSwitchInterval(), body.getArchiveLagTarget(), policy);
    }

    public BackupTask task(BackupSet set) {
        return new BackupTask()
                .tenantId(set.tenantId)
                .taskId(set.id)
                .jobId(set.id)
                .incarnation(1L)
                .backupSetId(set.id)
                .startTimestamp(set.startTime)
                .endTimestamp(set.endTime)
                .status(BackupTask.StatusEnum.fromValue(set.status.name()))
                .startScn(orZero(set.startScn))
                .endScn(orZero(set.endScn))
                // OceanBase-only counters: obshell always sends them and the Go SDK's CdbObBackupTask decodes them
                .userLsStartScn(0L)
                .extraMetaBytes(0L)
                .tabletCount(0L)
                .finishTabletCount(0L)
                .macroBlockCount(0L)
                .finishMacroBlockCount(0L)
                .fileCount(0L)
                .metaTurnId(0L)
                .dataTurnId(0L)
                .encryptionMode(BackupTask.EncryptionModeEnum.fromValue(
                        Objects.requireNonNullElse(set.encryptionMode, "NONE")))
                .inputBytes(set.inputBytes)
                .outputBytes(set.outputBytes)
                .outputRateBytes(rate(set))
                .result((long) set.result)
                .comment(Objects.requireNonNullElse(set.comment, ""))
                .path(set.path);
    }

    BackupJob job(BackupSet set) {
        return new BackupJob()
                .tenantId(set.tenantId)
                .jobId(set.id)
                .backupSetId(set.id)
                .plusArchivelog(set.plusArchive ? BackupJob.PlusArchivelogEnum.ON : BackupJob.PlusArchivelogEnum.OFF)
                .backupType(BackupJob.BackupTypeEnum.fromValue(set.backupType.name()))
                .startTimestamp(set.startTime)
                .endTimestamp(set.endTime)
                .status(set.status.name())
                .result((long) set.result)
                .comment(Objects.requireNonNullElse(set.comment, ""))
                .description("")
                .path(set.path);
    }

    /** Bytes written per second over the whole backup, once it has ended. */
    private static Double rate(BackupSet set) {
        if (set.endTime == null || set.startTime == null) {
            return null;
        }
        double seconds = Math.max(0.001, Duration.between(set.startTime, set.endTime).toMillis() / 1000.0);
        return set.outputBytes / seconds;
    }

    /** Null before the tenant's first verification. */
    public LastVerification lastVerification(BackupQueryService.Overview overview) {
        return overview.lastVerifiedAt() == null ? null
                : new LastVerification().verifiedAt(overview.lastVerifiedAt()).invalidSets(overview.invalidSets());
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
