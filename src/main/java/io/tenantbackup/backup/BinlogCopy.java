package io.tenantbackup.backup;

import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSetWriter;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * plus_archive: the set carries its own binlog, from the point where the backup started through the consistent point
 * mariabackup reported, so it restores without the archive.
 */
final class BinlogCopy {

    /** The stored binlog files and the range the manifest records. */
    record Carried(List<StoredArtifact.StoredFile> files, BackupSetManifest.BinlogRange range) {
    }

    private BinlogCopy() {
    }

    /**
     * Closes the current binlog file (FLUSH BINARY LOGS), then stores the closed files from the one current at
     * {@code start} through the one holding mariabackup's consistent point.
     */
    static Carried store(TaskContext context, TenantInstance tenant, BackupSetWriter set, ArtifactCodec codec,
                         BinlogPoint start, MariabackupOutput output) throws Exception {
        if (output.binlogFile() == null) {
            throw new IOException("mariabackup for tenant " + tenant.name() + " reported no binlog position; the set"
                    + " cannot carry its binlog");
        }
        try (Connection connection = tenant.agent().connect(); Statement sql = connection.createStatement()) {
            sql.execute("FLUSH BINARY LOGS");
        }
        List<String> names = BinlogFiles.between(tenant.layout().binlogDir(), start.file(), output.binlogFile());
        List<StoredArtifact.StoredFile> stored = new ArrayList<>();
        for (String name : names) {
            context.cancellation().throwIfCancelled();
            stored.add(set.storeBinlog(tenant.layout().binlogDir().resolve(name), codec));
        }
        BackupSetManifest.BinlogRange range = new BackupSetManifest.BinlogRange(start.file(), start.position(),
                start.gtid(), output.binlogFile(), output.binlogPosition(), output.gtid(),
                stored.stream().map(StoredArtifact.StoredFile::source).toList());
        context.log("Backup set of tenant " + tenant.name() + " carries its binlog " + start.file() + ":"
                + start.position() + " .. " + output.binlogFile() + ":" + output.binlogPosition() + " in "
                + names.size() + " file(s)");
        return new Carried(stored, range);
    }
}
