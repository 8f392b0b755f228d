package io.tenantbackup.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantbackup.backup.BackupConfig;
import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.backup.BackupSet;
import io.tenantbackup.repository.archive.ArchiveLayout;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.CancellationSignal;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.function.Consumer;

/**
 * Expiry of a tenant's backups by its {@code delete_policy}: the DAG "Expire backups for <tenant>", submitted on
 * demand and by {@link ExpiryScheduler}. The node plans from the destinations (their manifests are the truth, not the
 * catalog) with {@link ExpiryPlanner} and deletes in the plan's order, each set or piece made invisible first by
 * deleting its manifest, then its data. Re-running it is safe: it plans again from what is left.
 */
@ApplicationScoped
public class ExpiryService {

    public static final String EXPIRE_NODE = "Expire backups";
    static final String TENANT_ID = "tenant_id";
    static final String TENANT_NAME = "tenant_name";

    @Inject
    TaskEngine engine;

    @Inject
    BackupConfigService configs;

    public static DagTemplate template(String tenantName) {
        return DagTemplate.named("Expire backups for " + tenantName)
                .node(EXPIRE_NODE, ExpireBackupsTask.class)
                .exclusiveFor(tenantName)
                .build();
    }

    /** Submits the expiry DAG; a tenant without a policy or a data destination is a 400 and nothing is created. */
    @Transactional
    public DagEntity submit(TenantInstance tenant) {
        BackupConfig config = configs.find(tenant.id()).filter(c -> c.recoveryWindow().isPresent())
                .orElseThrow(() -> LifecycleErrors.NO_DELETE_POLICY.exception("Tenant " + tenant.name() + " has no"
                        + " delete_policy; set one with PATCH /api/v1/tenant/" + tenant.name() + "/backup/config, e.g."
                        + " {\"delete_policy\": {\"policy\": \"default\", \"recovery_window\": \"7d\"}}"));
        if (config.dataBaseUri == null || config.dataBaseUri.isEmpty()) {
            throw LifecycleErrors.NO_DESTINATION.exception("Tenant " + tenant.name() + " has no data backup destination");
        }
        return engine.submit(template(tenant.name()), Map.of(TENANT_ID, Long.toString(tenant.id()),
                TENANT_NAME, tenant.name()));
    }

    /** The work of {@link #EXPIRE_NODE}; every deletion is logged with what and why. */
    void expire(long tenantId, String tenantName, Consumer<String> log, CancellationSignal cancellation)
            throws IOException, TaskCancelledException {
        BackupConfig config = configs.find(tenantId).orElse(null);
        Duration window = config == null ? null : config.recoveryWindow().orElse(null);
        if (window == null) {
            log.accept("Tenant " + tenantName + " has no delete_policy any more; nothing is deleted");
            return;
        }
        Instant windowStart = Instant.now().minus(window);
        BackupSets data = BackupSets.in(config.dataBaseUri);
        BackupStorage archive = config.archiveBaseUri == null || config.archiveBaseUri.isEmpty() ? null
                : Storages.open(config.archiveBaseUri);
        DestinationInventory inventory = DestinationInventory.read(data, archive, tenantName,
                setId -> abandoned(tenantId, setId));
        List<ExpiryPlanner.Deletion> plan = ExpiryPlanner.plan(windowStart, inventory.sets(), inventory.pieces(),
                inventory.leftovers());
        log.accept("Recovery window " + config.deleteRecoveryWindow + " of tenant " + tenantName + ": keeping what"
                + " restores any point since " + windowStart + "; " + inventory.sets().size() + " backup set(s), "
                + inventory.pieces().size() + " archive piece(s), " + plan.size() + " to delete");
        Map<String, ExpiryPlanner.StoredSet> sets = inventory.sets().stream()
                .collect(Collectors.toMap(ExpiryPlanner.StoredSet::directory, Function.identity()));
        Map<String, ExpiryPlanner.StoredPiece> pieces = inventory.pieces().stream()
                .collect(Collectors.toMap(ExpiryPlanner.StoredPiece::directory, Function.identity()));
        for (ExpiryPlanner.Deletion deletion : plan) {
            cancellation.throwIfCancelled();
            boolean piece = deletion.kind() == ExpiryPlanner.Kind.PIECE;
            log.accept("Deleting " + deletion.directory() + " from " + (piece ? archive.uri() : data.uri()) + ": "
                    + deletion.reason());
            if (deletion.kind() == ExpiryPlanner.Kind.SET) {
                // before the manifest goes: a crash after it leaves no set for a re-run to mark, and verify would
                // report the catalog's set as missing for ever
                markExpired(tenantId, sets.get(deletion.directory()).id());
            }
            if (piece) {
                ExpiryPlanner.StoredPiece stored = pieces.get(deletion.directory());
                ArchiveLayout.expire(archive, stored.round(), stored.piece());
            } else {
                data.expire(deletion.directory());
            }
        }
        log.accept("Expiry of tenant " + tenantName + " done: " + plan.size() + " deleted");
    }

    /** Records in the catalog that expiry deletes the set {@code setId}. */
    private static void markExpired(long tenantId, long setId) {
        QuarkusTransaction.requiringNew().run(() -> BackupSet.getEntityManager()
                .createNativeQuery("UPDATE backup_set SET expired_at = UTC_TIMESTAMP() WHERE id = ?1 AND tenant_id = ?2")
                .setParameter(1, setId).setParameter(2, tenantId).executeUpdate());
    }

    /** The ids of the tenant's sets that expiry deleted or is deleting. */
    static Set<Long> expiredSetIds(long tenantId) {
        List<?> ids = QuarkusTransaction.requiringNew().call(() -> BackupSet.getEntityManager()
                .createNativeQuery("SELECT id FROM backup_set WHERE tenant_id = ?1 AND expired_at IS NOT NULL")
                .setParameter(1, tenantId).getResultList());
        return ids.stream().map(id -> ((Number) id).longValue()).collect(Collectors.toSet());
    }

    /** A set directory without a manifest is abandoned when the catalog knows it as the tenant's and not running. */
    private static boolean abandoned(long tenantId, long setId) {
        return QuarkusTransaction.requiringNew().call(() -> BackupSet.<BackupSet>findByIdOptional(setId)
                .filter(set -> set.tenantId == tenantId && !set.status.running()).isPresent());
    }
}
