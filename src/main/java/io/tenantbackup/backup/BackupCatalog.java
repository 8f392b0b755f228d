package io.tenantbackup.backup;

import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.storage.StorageUri;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Writes of the backup_set catalog; every state change of a set goes through here. */
@ApplicationScoped
public class BackupCatalog {

    private static final int MAX_COMMENT = 4000;

    /** Creates the INIT row and fixes the set directory below the data destination. */
    @Transactional(Transactional.TxType.MANDATORY)
    BackupSet createInit(TenantInstance tenant, BackupSet.Type type, boolean plusArchive, StorageUri dataDest) {
        BackupSet set = new BackupSet();
        set.tenantId = tenant.id();
        set.tenantName = tenant.name();
        set.backupType = type;
        set.plusArchive = plusArchive;
        set.status = BackupSet.Status.INIT;
        set.path = dataDest.toString();
        set.startTime = OffsetDateTime.now();
        set.encryptionMode = "NONE";
        set.persistAndFlush();
        set.path = BackupSets.uriOf(dataDest, set.directory()).toString();
        return set;
    }

    @Transactional
    public Optional<BackupSet> running(long tenantId) {
        return BackupSet.find("tenantId = ?1 and status in ?2 order by id",
                tenantId, List.of(BackupSet.Status.INIT, BackupSet.Status.DOING)).firstResultOptional();
    }

    /** The newest COMPLETED set of the tenant whose directory is in {@code dataDest}. */
    @Transactional
    public Optional<BackupSet> newestCompleted(long tenantId, StorageUri dataDest) {
        return BackupSet.<BackupSet>stream("tenantId = ?1 and status = ?2 order by id desc", tenantId,
                        BackupSet.Status.COMPLETED)
                .filter(set -> set.path.equals(BackupSets.uriOf(dataDest, set.directory()).toString()))
                .findFirst();
    }

    @Transactional
    public BackupSet require(long backupSetId) {
        return BackupSet.<BackupSet>findByIdOptional(backupSetId).orElseThrow(() ->
                new IllegalStateException("Backup set " + backupSetId + " is not in the catalog"));
    }

    @Transactional
    void recordStartScn(long backupSetId, long startScn) {
        require(backupSetId).startScn = startScn;
    }

    @Transactional
    void markDoing(long backupSetId, long dagId) {
        BackupSet set = require(backupSetId);
        set.status = BackupSet.Status.DOING;
        set.dagId = dagId;
        set.comment = null;
        set.result = 0;
        set.endTime = null;
    }

    @Transactional
    void recordStream(long backupSetId, MariabackupOutput output, XtrabackupCheckpoints checkpoints,
                      long inputBytes, long outputBytes) {
        BackupSet set = require(backupSetId);
        set.fromLsn = checkpoints.fromLsn();
        set.toLsn = checkpoints.toLsn();
        set.binlogFile = output.binlogFile();
        set.binlogPosition = output.binlogPosition();
        set.gtid = output.gtid();
        set.endScn = GtidPositions.highestSeqNo(output.gtid());
        set.inputBytes = inputBytes;
        set.outputBytes = outputBytes;
    }

    @Transactional
    void markCompleted(long backupSetId) {
        BackupSet set = require(backupSetId);
        set.status = BackupSet.Status.COMPLETED;
        set.endTime = OffsetDateTime.now();
        set.result = 0;
        set.comment = null;
    }

    /** Ends a set as FAILED or CANCELED with the reason shown in listings. */
    @Transactional
    void markEnded(long backupSetId, BackupSet.Status status, String reason) {
        BackupSet set = require(backupSetId);
        set.status = status;
        set.endTime = OffsetDateTime.now();
        set.result = 1;
        set.comment = reason.length() > MAX_COMMENT ? reason.substring(0, MAX_COMMENT) : reason;
    }
}
