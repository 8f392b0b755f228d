package io.tenantbackup.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tenantbackup.repository.backupset.SetLayout;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;

/**
 * Catalog row of one backup set (id = backup_set_id). It mirrors the set's manifest for listing; the destination
 * (manifest + files) stays the source of truth for restore. SCNs are GTID sequence numbers.
 */
@Entity
@Table(name = "backup_set")
public class BackupSet extends PanacheEntityBase {

    public enum Type { FULL, INC }

    public enum Status {
        INIT, DOING, COMPLETED, FAILED, CANCELED;

        public boolean running() {
            return this == INIT || this == DOING;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id", nullable = false)
    public Long tenantId;

    @Column(name = "tenant_name", nullable = false)
    public String tenantName;

    @Column(name = "dag_id")
    public Long dagId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(name = "backup_type", nullable = false)
    public Type backupType;

    @Column(name = "plus_archive", nullable = false)
    public boolean plusArchive;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR)
    @Column(name = "status", nullable = false)
    public Status status;

    /** URI of the set directory, e.g. file:///backup/t1/data/backup_set_3_full. */
    @Column(name = "path", nullable = false)
    public String path;

    @Column(name = "start_time", nullable = false)
    public OffsetDateTime startTime;

    @Column(name = "end_time")
    public OffsetDateTime endTime;

    @Column(name = "start_scn")
    public Long startScn;

    @Column(name = "end_scn")
    public Long endScn;

    @Column(name = "input_bytes", nullable = false)
    public long inputBytes;

    @Column(name = "output_bytes", nullable = false)
    public long outputBytes;

    @Column(name = "from_lsn")
    public Long fromLsn;

    @Column(name = "to_lsn")
    public Long toLsn;

    @Column(name = "binlog_file")
    public String binlogFile;

    @Column(name = "binlog_position")
    public Long binlogPosition;

    @Column(name = "gtid")
    public String gtid;

    @Column(name = "encryption_mode", nullable = false)
    public String encryptionMode;

    @Column(name = "comment")
    public String comment;

    /** 0 on success, else 1 (obshell passes OceanBase's error number here; we have none). */
    @Column(name = "result", nullable = false)
    public int result;

    /** The set's directory below its data destination. */
    public String directory() {
        return SetLayout.directoryName(id, backupType == Type.INC);
    }
}
