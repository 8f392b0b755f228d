package io.tenantbackup.restore;

import io.tenantbackup.ServiceConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs planning that reads a destination (restore pre-checks, restore windows) on a worker of its own, outside the
 * request thread and any DB transaction, and gives up after {@code tenant-backup.restore.planning-timeout}: a
 * destination is untrusted and may hold very many sets or pieces, or be slow. The worker is interrupted, which fails
 * its next file read; a request that waits longer is a 400 saying what to fix.
 */
@ApplicationScoped
public class PlanningDeadline {

    private static final int WORKERS = 2;

    @Inject
    ServiceConfig config;

    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, work -> {
        Thread thread = new Thread(work, "restore-planning");
        thread.setDaemon(true);
        return thread;
    });

    /** The result of {@code planning}; its {@link RuntimeException}s pass through unchanged. */
    <T> T run(String what, Callable<T> planning) {
        Future<T> result = workers.submit(planning);
        try {
            return result.get(config.restorePlanningTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw RestoreErrors.PLAN_TIMEOUT.exception(what + " did not finish within " + config.restorePlanningTimeout().toMillis()
                    + " ms (TENANT_BACKUP_RESTORE_PLANNING_TIMEOUT); check that the URI names a backup destination,"
                    + " not a large or slow directory");
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
