package io.tenantbackup.backup;

import io.tenantbackup.db.SqlTimes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * Catalog rows read with plain JDBC for the polled read endpoints: a detached {@link BackupSet} with every column set,
 * times normalised to UTC as Hibernate stores an {@link OffsetDateTime} in a DATETIME column.
 */
final class BackupSetRows {

    /** The columns {@link #set} reads, in its order, of the backup_set aliased {@code b}. */
    static final String COLUMNS = "b.id, b.tenant_id, b.tenant_name, b.dag_id, b.backup_type, b.plus_archive, b.status,"
            + " b.path, b.start_time, b.end_time, b.start_scn, b.end_scn, b.input_bytes, b.output_bytes, b.from_lsn,"
            + " b.to_lsn, b.binlog_file, b.binlog_position, b.gtid, b.encryption_mode, b.comment, b.result";

    /** Number of columns {@link #COLUMNS} lists. */
    static final int COLUMN_COUNT = 22;

    private BackupSetRows() {
    }

    static BackupSet set(ResultSet rs) throws SQLException {
        BackupSet set = new BackupSet();
        set.id = rs.getLong(1);
        set.tenantId = rs.getLong(2);
        set.tenantName = rs.getString(3);
        set.dagId = rs.getObject(4, Long.class);
        set.backupType = BackupSet.Type.valueOf(rs.getString(5));
        set.plusArchive = rs.getBoolean(6);
        set.status = BackupSet.Status.valueOf(rs.getString(7));
        set.path = rs.getString(8);
        set.startTime = SqlTimes.utc(rs, 9);
        set.endTime = SqlTimes.utc(rs, 10);
        set.startScn = rs.getObject(11, Long.class);
        set.endScn = rs.getObject(12, Long.class);
        set.inputBytes = rs.getLong(13);
        set.outputBytes = rs.getLong(14);
        set.fromLsn = rs.getObject(15, Long.class);
        set.toLsn = rs.getObject(16, Long.class);
        set.binlogFile = rs.getString(17);
        set.binlogPosition = rs.getObject(18, Long.class);
        set.gtid = rs.getString(19);
        set.encryptionMode = rs.getString(20);
        set.comment = rs.getString(21);
        set.result = rs.getInt(22);
        return set;
    }
}
