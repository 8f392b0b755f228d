package io.tenantbackup.lifecycle;

import io.quarkus.hibernate.orm.panache.Panache;
import io.tenantbackup.backup.BackupSet;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.storage.StorageUri;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The latest verification results per tenant ({@code backup_verification}). */
@ApplicationScoped
public class VerificationStore {

    /** One stored result: a set (its directory, id) or the archive ({@link #ARCHIVE}, no id). */
    public record Row(String subject, Long backupSetId, Verdict.Status status, String reason, OffsetDateTime verifiedAt) {
    }

    public static final String ARCHIVE = "archive";
    private static final int MAX_REASON = 8000;

    /** Replaces the tenant's results: all of them when {@code all}, else only the subjects given. */
    @Transactional
    void replace(long tenantId, long dagId, boolean all, List<Row> rows) {
        if (all) {
            Panache.getEntityManager().createNativeQuery("DELETE FROM backup_verification WHERE tenant_id = ?1")
                    .setParameter(1, tenantId).executeUpdate();
        }
        for (Row row : rows) {
            Panache.getEntityManager().createNativeQuery("REPLACE INTO backup_verification (tenant_id, subject,"
                            + " backup_set_id, status, reason, verified_at, dag_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                    .setParameter(1, tenantId).setParameter(2, row.subject()).setParameter(3, row.backupSetId())
                    .setParameter(4, row.status().name())
                    .setParameter(5, row.reason().length() > MAX_REASON ? row.reason().substring(0, MAX_REASON) : row.reason())
                    .setParameter(6, row.verifiedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime())
                    .setParameter(7, dagId)
                    .executeUpdate();
        }
    }

    @Transactional
    public List<Row> of(long tenantId) {
        List<?> rows = Panache.getEntityManager().createNativeQuery("SELECT subject, backup_set_id, status, reason,"
                        + " verified_at FROM backup_verification WHERE tenant_id = ?1 ORDER BY backup_set_id IS NULL,"
                        + " backup_set_id")
                .setParameter(1, tenantId).getResultList();
        return rows.stream().map(row -> (Object[]) row).map(VerificationStore::row).toList();
    }

    /**
     * The ids of the sets in {@code dataDest} that their latest verification found INVALID or MISSING: restore windows
     * resting on them are not offered.
     */
    @Transactional
    public Set<Long> invalidSetIds(StorageUri dataDest) {
        List<?> ids = Panache.getEntityManager().createNativeQuery("SELECT v.backup_set_id FROM backup_verification v"
                + " WHERE v.status IN ('INVALID', 'MISSING') AND v.backup_set_id IS NOT NULL").getResultList();
        return ids.stream().map(id -> BackupSet.<BackupSet>findById(((Number) id).longValue()))
                .filter(set -> set != null && storedIn(set, dataDest))
                .map(set -> set.id).collect(Collectors.toSet());
    }

    /** Whether the catalog has {@code set} in the data destination {@code dataDest} (credentials aside). */
    static boolean storedIn(BackupSet set, StorageUri dataDest) {
        return withoutQuery(set.path).equals(withoutQuery(BackupSets.uriOf(dataDest, set.directory()).redacted()));
    }

    private static String withoutQuery(String uri) {
        return uri.replaceAll("\\?.*", "");
    }

    /** Per tenant: the time of its latest verification and how many of its sets were INVALID or MISSING then. */
    @Transactional
    public List<Summary> summaries() {
        List<?> rows = Panache.getEntityManager().createNativeQuery("SELECT t.name, MAX(v.verified_at),"
                + " SUM(v.status IN ('INVALID', 'MISSING') AND v.backup_set_id IS NOT NULL) FROM backup_verification v"
                + " JOIN tenant t ON t.id = v.tenant_id GROUP BY t.name").getResultList();
        return rows.stream().map(row -> (Object[]) row).map(row -> new Summary((String) row[0], utc(row[1]),
                row[2] == null ? 0 : ((Number) row[2]).longValue())).toList();
    }

    public record Summary(String tenantName, OffsetDateTime lastVerifiedAt, long invalidSets) {
    }

    private static Row row(Object[] row) {
        return new Row((String) row[0], row[1] == null ? null : ((Number) row[1]).longValue(),
                Verdict.Status.valueOf((String) row[2]), (String) row[3], utc(row[4]));
    }

    private static OffsetDateTime utc(Object time) {
        if (time instanceof java.time.LocalDateTime local) {
            return local.atOffset(ZoneOffset.UTC);
        }
        return ((java.sql.Timestamp) time).toLocalDateTime().atOffset(ZoneOffset.UTC);
    }
}
