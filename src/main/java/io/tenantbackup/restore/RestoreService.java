package io.tenantbackup.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.lifecycle.VerificationStore;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.StorageCredentials;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.task.TaskOperator;
import io.tenantbackup.task.TaskState;
import io.tenantbackup.tenant.TenantErrors;
import io.tenantbackup.tenant.TenantNames;
import io.tenantbackup.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.tenantbackup.task.TaskQueries;
import io.tenantbackup.tenant.RestoredTenants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Restores a backup chain as a new tenant: every check first, then the RESTORING row and the DAG together. */
@ApplicationScoped
public class RestoreService {

    @Inject
    VerificationStore verification;

    @Inject
    ServiceConfig config;
    @Inject
    TenantService tenants;
    @Inject
    TaskEngine engine;
    @Inject
    RestorePasswords passwords;
    @Inject
    ObjectMapper json;
    @Inject
    RestoredTenants restored;
    @Inject
    TaskQueries queries;
    @Inject
    RestoreProgress progress;
    @Inject
    PlanningDeadline deadline;

    /** Recorded only, but validated as obshell does. */
    public static final String HA_HIGH_THREAD_SCORE = "ha_high_thread_score";
    /** Parallel streams of a restore; obshell leaves the bound to OceanBase, ours keeps a request from taking the host. */
    static final int MAX_CONCURRENCY = 64;
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(60);
    /** Each candidate costs one Argon2 derivation (64 MiB, ~0.1 s) per encrypted set of the chain. */
    static final int MAX_DECRYPTION_CANDIDATES = 8;

    /**
     * Every check first: the request, then the destination (read on a {@link PlanningDeadline} worker, outside any
     * transaction), then the RESTORING row and the DAG together in one transaction.
     */
    public DagEntity restore(RestoreCommand command) {
        String name = command.tenantName();
        TenantNames.validate(name);
        RestorePoint point = RestorePoint.of(command.timestamp(), command.scn());
        if (command.oceanBaseOptions().get(HA_HIGH_THREAD_SCORE) instanceof Integer score && (score < 0 || score > 100)) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("ha_high_thread_score must be within 0..100, got " + score);
        }
        if (command.concurrency() != null && (command.concurrency() < 0 || command.concurrency() > MAX_CONCURRENCY)) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("concurrency " + command.concurrency()
                    + " is invalid, it must be between 0 and " + MAX_CONCURRENCY + " (0 or null: the host's cores)");
        }
        if (tenants.exists(name)) {
            throw TenantErrors.EXISTED.exception("Tenant '" + name + "' already exists.");
        }
        tenants.requireRoomForOneMore();
        if (command.dataBackupUri() == null || command.dataBackupUri().isBlank()) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("data_backup_uri is required");
        }
        List<String> candidates = command.decryption() == null ? List.of() : command.decryption();
        if (candidates.size() > MAX_DECRYPTION_CANDIDATES) {
            throw RestoreErrors.DECRYPTION_TOO_MANY.exception("decryption, full_backup_decryption and"
                    + " inc_backup_decryption give " + candidates.size() + " distinct passwords; at most " + MAX_DECRYPTION_CANDIDATES + " are tried (each costs a 64 MiB key"
                    + " derivation per encrypted set); pass only the passwords of this chain");
        }
        BackupStorage data = Storages.open(command.dataBackupUri());
        BackupStorage archive = Storages.open(command.archiveLogUri() == null || command.archiveLogUri().isBlank()
                ? command.dataBackupUri() : command.archiveLogUri());
        Plan plan = deadline.run("Reading the backups of " + data.uri(), () -> plan(name, point, data, archive,
                candidates));
        try {
            return QuarkusTransaction.requiringNew().call(() -> submit(command, point, data, archive, plan));
        } catch (RuntimeException e) {
            plan.wipe();
            throw e;
        }
    }

    /**
     * What the destinations say about the restore: the chain to apply, the newest restorable point when the request
     * names none (null otherwise), the password of each encrypted set and the passphrase of each encrypted archive
     * round the replay reads.
     */
    private record Plan(List<StoredSet> chain, RestorePlanner.NewestPoint newest, Map<Long, MasterKey> keys,
                        Map<Long, char[]> archivePassphrases) {
        void wipe() {
            keys.values().forEach(MasterKey::close);
            archivePassphrases.values().forEach(password -> Arrays.fill(password, '\0'));
        }
    }

    private Plan plan(String name, RestorePoint point, BackupStorage data, BackupStorage archive,
                      List<String> candidates) {
        List<StoredSet> chain = RestorePlanner.chain(data, point);
        StoredSet last = chain.get(chain.size() - 1);
        RestorePlanner.NewestPoint newest = point.latest() ? RestorePlanner.newest(archive, last) : null;
        List<ArchivedBinlog.File> replayed = newest == null ? RestorePlanner.requireArchive(archive, last, point)
                : newest.files();
        RestorePlanner.requireDisk(config.dataDir(), chain, name);
        Map<Long, MasterKey> keys = RestorePlanner.keys(data, chain, candidates);
        Map<Long, char[]> archiveKeys;
        try {
            archiveKeys = RestorePlanner.archivePassphrases(archive, replayed, candidates);
        } catch (RuntimeException e) {
            keys.values().forEach(MasterKey::close);
            throw e;
        }
        Plan plan = new Plan(chain, newest, keys, archiveKeys);
        if (Thread.currentThread().isInterrupted()) {
            // the request gave up waiting: nobody will take these over
            plan.wipe();
        }
        return plan;
    }

    private DagEntity submit(RestoreCommand command, RestorePoint point, BackupStorage data, BackupStorage archive,
                             Plan plan) {
        String name = command.tenantName();
        StoredSet last = plan.chain().get(plan.chain().size() - 1);
        StorageCredentials.remember(data.uri());
        StorageCredentials.remember(archive.uri());
        tenants.reserveForRestore(name, command.oceanBaseOptions());
        Map<String, String> params = new HashMap<>();
        params.put(RestoreDags.TENANT_NAME, name);
        params.put(RestoreDags.SOURCE_TENANT, last.manifest().tenantName());
        params.put(RestoreDags.SOURCE_TENANT_ID, String.valueOf(last.manifest().tenantId()));
        params.put(RestoreDags.DATA_URI, data.uri().toString());
        params.put(RestoreDags.ARCHIVE_URI, archive.uri().redacted());
        params.put(RestoreDags.CHAIN, plan.chain().stream().map(StoredSet::directory)
                .collect(Collectors.joining(",")));
        params.put(RestoreDags.POINT_KIND, point.kind());
        params.put(RestoreDags.POINT_VALUE, point.value());
        if (plan.newest() != null) {
            params.put(RestoreDags.NEWEST_SCN, String.valueOf(plan.newest().scn()));
            params.put(RestoreDags.NEWEST_TIME, plan.newest().time().toString());
            params.put(RestoreDags.POINT_NOTE, plan.newest().note());
        }
        if (last.manifest().toolVersions().server() != null) {
            params.put(RestoreDags.BACKUP_SERVER, last.manifest().toolVersions().server());
        }
        params.put(RestoreDags.SET_GTID, last.manifest().gtid() == null ? "" : last.manifest().gtid());
        params.put(RestoreDags.CONCURRENCY, String.valueOf(command.concurrency() == null || command.concurrency() == 0
                ? Runtime.getRuntime().availableProcessors() : command.concurrency()));
        params.put(RestoreDags.OPTIONS, options(command));
        params.put(RestoreDags.TOTAL_BYTES, String.valueOf(plan.chain().stream()
                .mapToLong(set -> set.manifest().dataFile().sourceSize()).sum()));
        passwords.put(name, plan.keys(), plan.archivePassphrases());
        try {
            return engine.submit(RestoreDags.restore(name), params);
        } catch (RuntimeException e) {
            passwords.discard(name);
            throw e;
        }
    }

    /**
     * {@code DELETE /api/v1/tenant/{name}/restore}, as obshell does it: the tenant's restore DAG is cancelled (waiting
     * up to a minute for it to fail), then rolled back, and returned rolling back; it ends SUCCEED with operator
     * ROLLBACK once every node that ran has cleaned up. Without a restore DAG to roll back, a new "Cancel restore
     * &lt;tenant&gt;" DAG removes what is left. An unfinished DAG that is not the restore DAG (a cancel already under
     * way) is returned as it is. Empty when there is no such tenant (obshell's 204).
     */
    public Optional<DagEntity> cancel(String name) {
        TenantNames.validate(name);
        if (!tenants.exists(name)) {
            return Optional.empty();
        }
        if (!restored.isRestoring(name)) {
            throw RestoreErrors.NOT_RECOVERING.exception("Tenant '" + name + "' is not being restored");
        }
        Optional<DagEntity> latest = queries.latestDag(name);
        boolean restoreDag = latest.filter(dag -> dag.name.equals(RestoreDags.name(name))
                && dag.state != TaskState.SUCCEED).isPresent();
        if (!restoreDag) {
            return latest.filter(dag -> !dag.isFinished())
                    .or(() -> Optional.of(engine.submit(RestoreDags.cancel(name), Map.of(RestoreDags.TENANT_NAME, name))));
        }
        long dagId = latest.get().id;
        if (!latest.get().isFinished() && latest.get().operator != TaskOperator.ROLLBACK) {
            engine.cancel(dagId);
            awaitEnd(dagId);
        }
        if (queries.dagSummary(dagId).state == TaskState.FAILED) {
            engine.operate(dagId, TaskOperator.ROLLBACK.name());
        }
        return Optional.of(queries.dagSummary(dagId));
    }

    /** {@code GET /api/v1/tenant/{name}/restore/overview}, after the route's tenant check. */
    @Transactional
    public RestoreStatus overview(String name) {
        long tenantId = tenants.get(name).id();
        DagEntity dag = DagEntity.<DagEntity>find("maintenanceKey = ?1 and name = ?2 order by id desc", name,
                        RestoreDags.name(name)).firstResultOptional()
                .orElseThrow(() -> CommonErrors.NOT_FOUND.exception("Element not found: restore task"));
        return RestoreStatus.of(tenantId, dag, progress);
    }

    /**
     * {@code GET /api/v1/restore/windows}: the archive defaults to the data URI, as in obshell. {@code decryption}
     * (ours, optional: the SDKs send none) is checked against every encrypted archive round: a round none opens is a
     * 400 saying the archive is encrypted. Without it the windows come from the manifests, which are not encrypted.
     */
    public RestoreWindows.Result windows(String dataUri, String archiveUri, List<String> decryption) {
        if (dataUri == null || dataUri.isBlank()) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("data_backup_uri is required");
        }
        BackupStorage data = Storages.open(dataUri);
        BackupStorage archive = Storages.open(archiveUri == null || archiveUri.isBlank() ? dataUri : archiveUri);
        return deadline.run("Reading the backups of " + data.uri() + " and the archive " + archive.uri(), () -> {
            try {
                if (decryption != null && !decryption.isEmpty()) {
                    RestorePlanner.archivePassphrases(archive, ArchivedBinlog.all(archive), decryption).values()
                            .forEach(password -> Arrays.fill(password, '\0'));
                }
                return RestoreWindows.of(data, archive, verification.invalidSetIds(data.uri()));
            } catch (IOException e) {
                throw RestoreErrors.UNREADABLE_BACKUP.exception("Cannot read the backups of " + data.uri()
                        + " or the archive " + archive.uri() + ": " + e.getMessage());
            }
        });
    }

    private void awaitEnd(long dagId) {
        long deadline = System.nanoTime() + CANCEL_WAIT.toNanos();
        try {
            while (!queries.dagSummary(dagId).isFinished() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String options(RestoreCommand command) {
        try {
            return json.writeValueAsString(command.oceanBaseOptions());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
