package io.tenantbackup.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantbackup.backup.BackupConfig;
import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.backup.BackupSet;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.restore.Gtids;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.storage.StorageUri;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code verify} (pgBackRest's idea, beyond obshell): the DAG "Verify backups for <tenant>" re-reads every set of the
 * tenant's data destination (or one set) and, for a run over all sets, its archive; each result is stored
 * ({@link VerificationStore}) and logged. A set the catalog has as completed but the destination lacks is MISSING, a
 * set being written IN_PROGRESS. Passwords are held in memory for the DAG only, never stored or logged; after a
 * restart an encrypted set is checked without decrypting.
 */
@ApplicationScoped
public class VerifyService {

    public static final String VERIFY_NODE = "Verify backups";
    public static final int MAX_PASSWORDS = 8;
    static final String TENANT_ID = "tenant_id";
    static final String TENANT_NAME = "tenant_name";
    static final String BACKUP_SET_ID = "backup_set_id";

    @Inject
    TaskEngine engine;

    @Inject
    BackupConfigService configs;

    @Inject
    VerificationStore store;

    private final Map<Long, List<char[]>> passwords = new ConcurrentHashMap<>();

    public static DagTemplate template(String tenantName) {
        return DagTemplate.named("Verify backups for " + tenantName).node(VERIFY_NODE, VerifyBackupsTask.class)
                .onTenant(tenantName).build();
    }

    /**
     * Submits the verification of every set ({@code backupSetId} null) or of one set of the tenant: no data
     * destination is a 400, a set the catalog does not know for the tenant a 404; nothing is created then.
     */
    @Transactional
    public DagEntity submit(TenantInstance tenant, Long backupSetId, List<String> decryption) {
        dataDestination(tenant.id(), tenant.name());
        if (decryption != null && decryption.size() > MAX_PASSWORDS) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("decryption holds " + decryption.size()
                    + " passwords; at most " + MAX_PASSWORDS + " are tried");
        }
        Map<String, String> params = new LinkedHashMap<>(Map.of(TENANT_ID, Long.toString(tenant.id()),
                TENANT_NAME, tenant.name()));
        if (backupSetId != null) {
            BackupSet.<BackupSet>findByIdOptional(backupSetId).filter(set -> set.tenantId == tenant.id())
                    .orElseThrow(() -> CommonErrors.NOT_FOUND.exception("Backup set " + backupSetId + " of tenant "
                            + tenant.name() + " is not known; GET /api/v1/tenant/" + tenant.name()
                            + "/backup/tasks lists its sets"));
            params.put(BACKUP_SET_ID, Long.toString(backupSetId));
        }
        DagEntity dag = engine.submit(template(tenant.name()), params);
        passwords.put(dag.id, decryption == null ? List.of()
                : decryption.stream().filter(p -> p != null && !p.isEmpty()).map(String::toCharArray).toList());
        return dag;
    }

    /** The stored results of the tenant's latest verification; 404 when it was never verified. */
    public List<VerificationStore.Row> results(TenantInstance tenant) {
        List<VerificationStore.Row> rows = store.of(tenant.id());
        if (rows.isEmpty()) {
            throw CommonErrors.NOT_FOUND.exception("The backups of tenant " + tenant.name() + " were never verified;"
                    + " POST /api/v1/tenant/" + tenant.name() + "/backup/verify starts a verification");
        }
        return rows;
    }

    /** The work of {@link #VERIFY_NODE}. */
    void verify(TaskContext context) throws IOException {
        long tenantId = Long.parseLong(context.requiredParam(TENANT_ID));
        String tenantName = context.requiredParam(TENANT_NAME);
        Optional<Long> only = context.param(BACKUP_SET_ID).map(Long::parseLong);
        List<char[]> given = Optional.ofNullable(passwords.get(context.dagId())).orElse(List.of());
        try {
            BackupConfig config = dataDestination(tenantId, tenantName);
            BackupSets data = BackupSets.in(config.dataBaseUri);
            Map<Long, StoredSet> stored = new HashMap<>();
            Map<Long, BackupSetManifest> manifests = new HashMap<>();
            for (StoredSet set : data.list()) {
                if (tenantName.equals(set.manifest().tenantName())) {
                    stored.put(set.id(), set);
                    manifests.put(set.id(), set.manifest());
                }
            }
            List<VerificationStore.Row> rows = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (BackupSet expected : catalogSets(tenantId, StorageUri.parse(config.dataBaseUri))) {
                if (only.isPresent() && !only.get().equals(expected.id)) {
                    continue;
                }
                seen.add(expected.id);
                String directory = expected.directory();
                Verdict verdict;
                if (expected.status.running()) {
                    verdict = new Verdict(Verdict.Status.IN_PROGRESS, "backup set " + expected.id + " is being written");
                } else if (!manifests.containsKey(expected.id)) {
                    verdict = new Verdict(Verdict.Status.MISSING, "backup set " + expected.id + " completed at "
                            + expected.endTime + " but " + directory + " has no manifest in " + data.uri());
                } else {
                    verdict = verifySet(context, data, stored.get(expected.id), manifests, given);
                }
                rows.add(record(context, directory, expected.id, verdict));
            }
            for (StoredSet other : stored.values()) {
                if (!seen.contains(other.id()) && (only.isEmpty() || only.get().equals(other.id()))) {
                    rows.add(record(context, other.directory(), other.id(),
                            verifySet(context, data, other, manifests, given)));
                }
            }
            if (only.isEmpty()) {
                rows.add(record(context, VerificationStore.ARCHIVE, null, archive(config, tenantName, stored.values(),
                        given)));
            }
            store.replace(tenantId, context.dagId(), only.isEmpty(), rows);
            long invalid = rows.stream().filter(row -> row.status() != Verdict.Status.VALID
                    && row.status() != Verdict.Status.IN_PROGRESS).count();
            context.log("Verification of tenant " + tenantName + " done: " + rows.size() + " checked, " + invalid
                    + " not valid");
        } finally {
            List<char[]> held = passwords.remove(context.dagId());
            if (held != null) {
                held.forEach(password -> Arrays.fill(password, '\0'));
            }
        }
    }

    private static Verdict verifySet(TaskContext context, BackupSets data, StoredSet set,
                                     Map<Long, BackupSetManifest> manifests, List<char[]> given) {
        context.log("Verifying " + set.directory());
        return SetVerifier.verify(data, set, manifests, given);
    }

    private static Verdict archive(BackupConfig config, String tenantName, Collection<StoredSet> sets,
                                   List<char[]> given) throws IOException {
        if (config.archiveBaseUri == null || config.archiveBaseUri.isEmpty()) {
            return Verdict.valid("no archive destination is configured");
        }
        Optional<StoredSet> oldest = sets.stream()
                .min(Comparator.comparingLong(set -> Gtids.seqNo(set.manifest().gtid())));
        long newestSeq = sets.stream().mapToLong(set -> Gtids.seqNo(set.manifest().gtid())).max().orElse(0);
        return ArchiveVerifier.verify(Storages.open(config.archiveBaseUri), tenantName, given,
                oldest.map(StoredSet::directory).orElse(null),
                oldest.map(set -> Gtids.seqNo(set.manifest().gtid())).orElse(0L), newestSeq);
    }

    private static VerificationStore.Row record(TaskContext context, String subject, Long setId, Verdict verdict) {
        context.log(subject + ": " + verdict.status() + ": " + verdict.reason());
        return new VerificationStore.Row(subject, setId, verdict.status(), verdict.reason(), OffsetDateTime.now());
    }

    /** The tenant's sets the catalog has as completed or running in this data destination and not expired. */
    private static List<BackupSet> catalogSets(long tenantId, StorageUri dataDest) {
        Set<Long> expired = ExpiryService.expiredSetIds(tenantId);
        return QuarkusTransaction.requiringNew().call(() -> BackupSet.<BackupSet>list(
                        "tenantId = ?1 and status in ?2 order by id", tenantId,
                        List.of(BackupSet.Status.COMPLETED, BackupSet.Status.INIT, BackupSet.Status.DOING))
                .stream().filter(set -> VerificationStore.storedIn(set, dataDest))
                .filter(set -> !expired.contains(set.id)).toList());
    }

    private BackupConfig dataDestination(long tenantId, String tenantName) {
        return configs.find(tenantId).filter(c -> c.dataBaseUri != null && !c.dataBaseUri.isEmpty())
                .orElseThrow(() -> LifecycleErrors.NO_DESTINATION.exception("Tenant " + tenantName + " has no data"
                        + " backup destination; set data_base_uri with POST /api/v1/tenant/" + tenantName
                        + "/backup/config first"));
    }
}
