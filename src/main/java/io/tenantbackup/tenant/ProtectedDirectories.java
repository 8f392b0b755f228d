package io.tenantbackup.tenant;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.auth.AuthConfig;
import io.tenantbackup.storage.DestinationConfinement;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Installs the {@link DestinationConfinement} of this service: no destination in its data dir, the agent key's
 * directory or any tenant's home (read from the tenant rows at each check, wherever a home lies), and only below
 * {@code TENANT_BACKUP_ALLOWED_ROOTS} when that is set.
 */
@ApplicationScoped
public class ProtectedDirectories {

    @Inject
    ServiceConfig config;
    @Inject
    AuthConfig auth;
    @Inject
    TenantStore store;

    /** Before the other startup observers: recovered DAGs and archivers open destinations. */
    void onStart(@Observes @Priority(1) StartupEvent event) {
        DestinationConfinement.install(new DestinationConfinement(this::directories,
                config.allowedRoots().orElse(List.of())));
    }

    void onStop(@Observes ShutdownEvent event) {
        DestinationConfinement.install(new DestinationConfinement(List::of, List.of()));
    }

    private Collection<Path> directories() {
        List<Path> directories = new ArrayList<>(List.of(config.dataDir()));
        auth.keyFile().map(Path::toAbsolutePath).map(Path::getParent).ifPresent(directories::add);
        directories.addAll(store.homes());
        return directories;
    }
}
