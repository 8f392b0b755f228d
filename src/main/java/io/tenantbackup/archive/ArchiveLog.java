package io.tenantbackup.archive;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A tenant's archive log switch and progress (the current or last round). */
@Entity
@Table(name = "archive_log")
public class ArchiveLog extends PanacheEntityBase {

    @Id
    @Column(name = "tenant_id")
    public Long tenantId;

    @Column(name = "tenant_name", nullable = false)
    public String tenantName;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    public ArchiveStatus status;

    @Column(name = "round_id", nullable = false)
    public long roundId;

    /** The archive destination of this round (archive_base_uri when the round began). */
    @Column(name = "path", nullable = false)
    public String path;

    @Column(name = "start_time", nullable = false)
    public OffsetDateTime startTime;

    /** The binlog file the round starts with; null until the archiver has first reached the tenant. */
    @Column(name = "start_file")
    public String startFile;

    @Column(name = "last_file")
    public String lastFile;

    /** The tenant's GTID position at the end of {@link #lastFile}. */
    @Column(name = "last_gtid_pos")
    public String lastGtidPos;

    /** Everything the tenant committed up to this time is archived. */
    @Column(name = "checkpoint")
    public OffsetDateTime checkpoint;

    /** Why the round is INTERRUPTED. */
    @Column(name = "comment")
    public String comment;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
