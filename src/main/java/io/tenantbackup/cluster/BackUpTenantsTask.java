package io.tenantbackup.cluster;

import io.quarkus.arc.Unremovable;
import io.tenantbackup.backup.BackupQueryService;
import io.tenantbackup.backup.BackupService;
import io.tenantbackup.backup.BackupSet;
import io.tenantbackup.error.ServiceException;
import io.tenantbackup.task.DagDetail;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.task.TaskContext;
import io.tenantbackup.task.TaskQueries;
import io.tenantbackup.task.TaskState;
import io.tenantbackup.tenant.TenantInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Back up tenants": starts one tenant backup DAG per tenant through {@link BackupService#start}, at most
 * {@link ClusterConfig#parallelTenants()} at a time, in tenant id order, and waits for them. A tenant that fails does not
 * stop the others. Each outcome is put as {@code backup.<tenant>} (the node's additional_data), and the node fails at
 * the end naming every failed tenant with its reason. On RETRY, tenants already COMPLETED by this DAG are skipped.
 */
@Unremovable
@ApplicationScoped
public class BackUpTenantsTask implements Task {

    static final String RESULT_PREFIX = "backup.";
    private static final String COMPLETED = "COMPLETED";
    private static final long POLL_MILLIS = 500;
    private static final long CANCEL_WAIT_MILLIS = 60_000;

    private record Running(TenantInstance tenant, long dagId) {
    }

    @Inject
    ClusterTenants tenants;

    @Inject
    ClusterConfig cluster;

    @Inject
    BackupService backups;

    @Inject
    BackupQueryService queries;

    @Inject
    TaskQueries dags;

    @Inject
    ClusterBackupPasswords passwords;

    @Override
    public void execute(TaskContext context) throws Exception {
        try {
            backUpAll(context, encryption(context));
        } finally {
            passwords.forget(context.dagId());
        }
    }

    private void backUpAll(TaskContext context, Optional<String> encryption) throws Exception {
        Deque<String> pending = new ArrayDeque<>();
        for (String name : ClusterTenants.names(context)) {
            if (context.param(RESULT_PREFIX + name).filter(result -> result.startsWith(COMPLETED)).isPresent()) {
                context.log("Tenant " + name + ": completed by an earlier run of this DAG, skipped");
            } else {
                pending.add(name);
            }
        }
        Map<String, Running> running = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> completed = new ArrayList<>();
        while (!pending.isEmpty() || !running.isEmpty()) {
            if (context.cancellation().isCancelled()) {
                cancelRunning(context, running);
                throw new TaskCancelledException(context.cancellation().reason());
            }
            while (running.size() < Math.max(1, cluster.parallelTenants()) && !pending.isEmpty()) {
                String name = pending.poll();
                start(context, name, encryption).ifPresentOrElse(child -> running.put(name, child),
                        () -> failures.put(name, context.requiredParam(RESULT_PREFIX + name)));
            }
            for (Iterator<Map.Entry<String, Running>> it = running.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Running> entry = it.next();
                Optional<String> outcome = outcome(entry.getValue());
                if (outcome.isPresent()) {
                    it.remove();
                    record(context, entry.getKey(), outcome.get());
                    if (outcome.get().startsWith(COMPLETED)) {
                        completed.add(entry.getKey());
                    } else {
                        failures.put(entry.getKey(), outcome.get());
                    }
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        if (!failures.isEmpty()) {
            throw ClusterErrors.TENANT_BACKUP_FAILED.exception("Backup of " + failures.size() + " of "
                    + ClusterTenants.names(context).size() + " tenant(s) failed: " + String.join("; ",
                    failures.entrySet().stream().map(failure -> failure.getKey() + ": " + failure.getValue()).toList())
                    + (completed.isEmpty() ? "" : "; completed: " + String.join(", ", completed)));
        }
        context.log("Every tenant's backup completed");
    }

    /** The password of an encrypted cluster backup; it is held in memory only (see ClusterBackupPasswords). */
    private Optional<String> encryption(TaskContext context) {
        if (!Boolean.parseBoolean(context.requiredParam(ClusterBackupService.ENCRYPTED_PARAM))) {
            return Optional.empty();
        }
        return Optional.of(passwords.get(context.dagId()).orElseThrow(() -> new IllegalStateException(
                "The encryption password of this cluster backup is no longer held (the service restarted or the DAG"
                        + " was retried); start a new cluster backup with the password")));
    }

    /** Starts the tenant's backup DAG; a refusal (tenant dropped, its own backup running …) is its outcome. */
    private Optional<Running> start(TaskContext context, String name, Optional<String> encryption) {
        try {
            TenantInstance tenant = tenants.current(name);
            DagEntity child = backups.start(tenant, context.requiredParam(ClusterBackupService.MODE_PARAM),
                    Boolean.parseBoolean(context.requiredParam(ClusterBackupService.PLUS_ARCHIVE_PARAM)),
                    encryption.orElse(null));
            record(context, name, "RUNNING: DAG " + child.genericId() + " (" + child.name + ")");
            return Optional.of(new Running(tenant, child.id));
        } catch (ServiceException e) {
            record(context, name, "FAILED: [" + e.code().errCode() + "]: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Empty while the tenant's DAG runs; then what became of its backup set. */
    private Optional<String> outcome(Running running) {
        DagDetail child = dags.dag(running.dagId());
        String label = "DAG " + child.dag().genericId();
        if (child.dag().state == TaskState.SUCCEED) {
            BackupSet set = queries.latest(running.tenant()).orElseThrow();
            return Optional.of(COMPLETED + ": backup set " + set.id + " at " + set.path + " (" + label + ")");
        }
        if (child.dag().state == TaskState.FAILED) {
            return Optional.of("FAILED" + failure(child) + " (" + label + ")");
        }
        return Optional.empty();
    }

    /** " in '<node>': <its last log line>", on one line (a driver's message may span several). */
    private static String failure(DagDetail dag) {
        return dag.nodes().stream()
                .filter(node -> node.node().state == TaskState.FAILED)
                .flatMap(node -> node.subTasks().stream())
                .filter(subTask -> !subTask.logLines().isEmpty())
                .map(subTask -> " in '" + subTask.subTask().name + "': "
                        + subTask.logLines().get(subTask.logLines().size() - 1).replaceAll("\\s+", " "))
                .findFirst()
                .orElse(": no log line");
    }

    /** Cancels the tenant backups this DAG runs and waits (bounded) for their DAGs to end. */
    private void cancelRunning(TaskContext context, Map<String, Running> running) throws InterruptedException {
        long deadline = System.currentTimeMillis() + CANCEL_WAIT_MILLIS;
        for (Map.Entry<String, Running> entry : running.entrySet()) {
            ClusterBackupService.cancelTenant(backups, entry.getValue().tenant());
        }
        for (Map.Entry<String, Running> entry : running.entrySet()) {
            Optional<String> outcome = outcome(entry.getValue());
            while (outcome.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(POLL_MILLIS);
                outcome = outcome(entry.getValue());
            }
            record(context, entry.getKey(), outcome.orElse("CANCELED: its DAG is still ending"));
        }
    }

    private static void record(TaskContext context, String tenant, String outcome) {
        context.put(RESULT_PREFIX + tenant, outcome);
        context.log("Tenant " + tenant + ": " + outcome);
    }
}
