package io.tenantbackup.tenant;

import io.tenantbackup.engine.mariadb.MariaDbServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Removes a tenant's instance: its process, its home directory, its row. Shared by "Drop tenant" and the cleanup
 * of a failed "Create tenant", so that a name can always be used again. */
@ApplicationScoped
public class TenantTeardown {

    private static final Logger LOG = Logger.getLogger(TenantTeardown.class);

    @Inject
    TenantStore store;
    @Inject
    TenantProcesses processes;
    @Inject
    PendingSecrets secrets;

    void stopInstance(TenantEntity tenant, Consumer<String> log) throws InterruptedException {
        processes.stop(tenant, log);
    }

    /** Removes the home directory, then the instance's OS user, which owned files in it. */
    void removeHome(TenantEntity tenant, Consumer<String> log) throws IOException, InterruptedException {
        Path home = tenant.layout().home();
        if (!home.getFileName().toString().equals(tenant.name)) {
            throw new IllegalStateException("Tenant '" + tenant.name + "': refusing to delete " + home
                    + ", which is not named after the tenant");
        }
        if (Files.exists(home)) {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(home)) {
                paths = walk.sorted(Comparator.reverseOrder()).toList();
            }
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
            log.accept("Removed directory " + home);
        }
        new MariaDbServer(tenant.layout()).user().remove(log);
    }

    /**
     * Undoes a creation that failed at any node. Must not throw: each step is tried, and what cannot be removed
     * is reported in the task log and the application log.
     */
    void discardCreation(String name, Consumer<String> log) {
        secrets.discard(name);
        discard(name, TenantStatus.CREATING, "its failed creation", log);
    }

    /** Like {@link #discardCreation}, for a tenant reserved by a restore that failed or was cancelled. */
    void discardRestore(String name, Consumer<String> log) {
        discard(name, TenantStatus.RESTORING, "its failed or cancelled restore", log);
    }

    private void discard(String name, TenantStatus expected, String after, Consumer<String> log) {
        try {
            Optional<TenantEntity> row = store.find(name).filter(found -> found.status == expected);
            if (row.isEmpty()) {
                return;
            }
            stopInstance(row.get(), log);
            removeHome(row.get(), log);
            store.deleteIf(name, expected);
            log.accept("Removed tenant '" + name + "' after " + after);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report(name, log, e);
        } catch (Exception e) {
            report(name, log, e);
        }
    }

    private static void report(String name, Consumer<String> log, Exception e) {
        String line = "Cleanup of tenant '" + name + "' incomplete: " + e.getMessage();
        log.accept(line);
        LOG.error(line, e);
    }
}
