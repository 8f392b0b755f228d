package io.tenantbackup.archive;

import io.tenantbackup.storage.StorageUri;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The archive_log rows; each method is its own transaction. Progress updates name the round they belong to, so an
 * archiver of an ended round can never write into the next one.
 */
@ApplicationScoped
@Transactional
public class ArchiveLogs {

    private static final String DOING_WITH_CONFIGURED_DESTINATION = "SELECT a.round_id, a.path, a.start_file,"
            + " a.last_file, c.archive_base_uri FROM archive_log a JOIN backup_config c ON c.tenant_id = a.tenant_id"
            + " WHERE a.tenant_id = ? AND a.status = '" + ArchiveStatus.DOING + "'";

    @Inject
    DataSource dataSource;

    public Optional<ArchiveLog> find(long tenantId) {
        return Optional.ofNullable(ArchiveLog.findById(tenantId));
    }

    /**
     * The tenant's round, detached, when it is DOING into the archive destination configured now; empty otherwise.
     * One plain-JDBC statement in autocommit mode (both rows by primary key): every backup asks.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    Optional<ArchiveLog> doingIntoConfiguredDestination(long tenantId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(DOING_WITH_CONFIGURED_DESTINATION)) {
            statement.setLong(1, tenantId);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String configured = rs.getString(5);
                if (configured == null || configured.isEmpty()
                        || !StorageUri.parse(configured).redacted().equals(rs.getString(2))) {
                    return Optional.empty();
                }
                ArchiveLog row = new ArchiveLog();
                row.tenantId = tenantId;
                row.status = ArchiveStatus.DOING;
                row.roundId = rs.getLong(1);
                row.path = rs.getString(2);
                row.startFile = rs.getString(3);
                row.lastFile = rs.getString(4);
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the archive log of tenant id " + tenantId + " failed: "
                    + e.getMessage(), e);
        }
    }

    List<ArchiveLog> withStatus(ArchiveStatus status) {
        return ArchiveLog.list("status", status);
    }

    /**
     * Applies a requested status (see {@link ArchiveStatus}): DOING after STOP begins a new round in
     * {@code archiveUri}; DOING after SUSPEND continues the round. Returns the row, or empty if there is none.
     */
    Optional<ArchiveLog> change(long tenantId, String tenantName, ArchiveStatus requested, String archiveUri) {
        // The tenant's own row is locked, not its archive_log row: a locking read of an archive_log row that does not
        // exist yet takes a gap lock, and two tenants opening their first round at once (a cluster backup) then
        // deadlock on their inserts into the same gap.
        ArchiveLog.getEntityManager()
                .createNativeQuery("SELECT id FROM tenant WHERE id = ?1 FOR UPDATE")
                .setParameter(1, tenantId)
                .getResultList();
        ArchiveLog row = ArchiveLog.findById(tenantId);
        if (row == null && requested != ArchiveStatus.DOING) {
            return Optional.empty();
        }
        if (row == null) {
            row = new ArchiveLog();
            row.tenantId = tenantId;
            row.roundId = 0;
        }
        row.tenantName = tenantName;
        if (requested == ArchiveStatus.DOING && (row.status == null || row.status == ArchiveStatus.STOP)) {
            beginRound(row, StorageUri.parse(archiveUri).redacted());
        } else if (requested == ArchiveStatus.DOING || requested == ArchiveStatus.STOP
                || row.status == ArchiveStatus.DOING) {
            row.status = requested;
        }
        row.updatedAt = OffsetDateTime.now();
        row.persist();
        return Optional.of(row);
    }

    /** {@code path}: the destination with its credentials removed. */
    private static void beginRound(ArchiveLog row, String path) {
        row.roundId++;
        row.status = ArchiveStatus.DOING;
        row.path = path;
        row.startTime = OffsetDateTime.now();
        row.startFile = null;
        row.lastFile = null;
        row.lastGtidPos = null;
        row.checkpoint = null;
        row.comment = null;
    }

    /**
     * Ends DOING round {@code roundId} and begins the next one from {@code startFile} in the same destination, so the
     * archive continues without a gap (the archive's encryption changed). Empty when the round is no longer DOING.
     */
    OptionalLong continueInNewRound(long tenantId, long roundId, String startFile) {
        ArchiveLog row = ArchiveLog.findById(tenantId);
        if (row == null || row.roundId != roundId || row.status != ArchiveStatus.DOING) {
            return OptionalLong.empty();
        }
        beginRound(row, row.path);
        row.startFile = startFile;
        row.updatedAt = OffsetDateTime.now();
        return OptionalLong.of(row.roundId);
    }

    /** The round's first binlog file, chosen when the archiver first reaches the tenant; kept once set. */
    String startFile(long tenantId, long roundId, String file) {
        ArchiveLog row = ArchiveLog.findById(tenantId);
        if (row != null && row.roundId == roundId && row.startFile == null) {
            row.startFile = file;
            row.updatedAt = OffsetDateTime.now();
        }
        return row == null || row.startFile == null ? file : row.startFile;
    }

    void archived(long tenantId, long roundId, String file, String gtidPosition, OffsetDateTime checkpoint) {
        ArchiveLog row = ArchiveLog.findById(tenantId);
        if (row != null && row.roundId == roundId) {
            row.lastFile = file;
            row.lastGtidPos = gtidPosition;
            advance(row, checkpoint);
        }
    }

    /** The tenant has written nothing beyond the archive: the archive is complete up to {@code checkpoint}. */
    void idle(long tenantId, long roundId, OffsetDateTime checkpoint) {
        ArchiveLog row = ArchiveLog.findById(tenantId);
        if (row != null && row.roundId == roundId && row.status == ArchiveStatus.DOING) {
            advance(row, checkpoint);
        }
    }

    void interrupt(long tenantId, long roundId, String reason) {
        ArchiveLog row = ArchiveLog.findById(tenantId);
        if (row != null && row.roundId == roundId && row.status == ArchiveStatus.DOING) {
            row.status = ArchiveStatus.INTERRUPTED;
            row.comment = reason;
            row.updatedAt = OffsetDateTime.now();
        }
    }

    private static void advance(ArchiveLog row, OffsetDateTime checkpoint) {
        if (checkpoint != null && (row.checkpoint == null || checkpoint.isAfter(row.checkpoint))) {
            row.checkpoint = checkpoint;
        }
        row.updatedAt = OffsetDateTime.now();
    }
}
