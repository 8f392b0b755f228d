package io.tenantbackup.tenant;

import io.quarkus.runtime.StartupEvent;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.engine.mariadb.InstanceUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data directory holds the tenants' homes, the agent key and the restore staging. Tenants' OS users must pass
 * through it to reach their homes, but must not list it: 0711 when instances have their own users. Otherwise the
 * instances run as the service's own user and the directory is left as deployed (on Kubernetes a volume whose group
 * is the pod's fsGroup, which the service may not even chmod).
 */
@ApplicationScoped
public class DataDirPermissions {

    @Inject
    ServiceConfig config;

    void onStart(@Observes StartupEvent event) throws IOException {
        Path dataDir = config.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        if (InstanceUser.perInstanceUsers()) {
            Files.setAttribute(dataDir, "unix:mode", 0711);
        }
    }
}
