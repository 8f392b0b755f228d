package io.tenantbackup.tenant;

import io.smallrye.context.api.ManagedExecutorConfig;
import io.tenantbackup.engine.mariadb.InstanceUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * OS users of restored tenants created on a thread of their own, beside the restore's first steps, instead of right
 * before the extraction that needs them: {@code useradd} takes 15-200 ms (more under load). Whoever needs the user
 * next waits for its creation first: the directories and the extraction, or a clean-up that removes the user again.
 * A creation that failed is only logged here; the waiter's own {@link InstanceUser#ensureExists} tries again and
 * reports why it fails.
 */
@ApplicationScoped
class OsUsersAhead {

    @Inject
    @ManagedExecutorConfig(propagated = {}, cleared = ThreadContext.ALL_REMAINING)
    ManagedExecutor executor;

    private final Map<String, Future<List<String>>> creations = new ConcurrentHashMap<>();

    /** Starts creating the user of tenant {@code name}; its log lines are handed to the one who waits for it. */
    void start(String name, Callable<InstanceUser> user) {
        if (!InstanceUser.perInstanceUsers()) {
            return;
        }
        await(name, line -> { }); // a creation of an earlier run of the node: never two useradd at once
        creations.put(name, executor.submit(() -> {
            List<String> lines = new CopyOnWriteArrayList<>();
            user.call().ensureExists(lines::add);
            return lines;
        }));
    }

    /**
     * Waits for the creation started for tenant {@code name}, if any, and logs what it logged. Not interruptible: a
     * clean-up must not remove the user while its useradd still runs (which ends within its own timeout).
     */
    void await(String name, Consumer<String> log) {
        Future<List<String>> creation = creations.remove(name);
        if (creation == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                creation.get().forEach(log);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                log.accept("Creating the OS user ahead failed: " + e.getCause().getMessage());
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
