package io.tenantbackup.exposure;

import io.quarkus.runtime.StartupEvent;
import io.tenantbackup.ServiceConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to start a service that would be an open admin API on the network (a non-loopback bind address without
 * TENANT_BACKUP_ROOT_PASSWORD) or that runs on the metadata account everyone knows from the README
 * ({@code tenant_backup}/{@code tenant_backup}) without saying so. Runs first at start; the message names the setting
 * to change.
 */
@ApplicationScoped
public class ExposureCheck {

    private static final Logger LOG = Logger.getLogger(ExposureCheck.class);

    static final String DEFAULT_DB_ACCOUNT = "tenant_backup";

    /** What the check looks at, apart from where it comes from. */
    record Settings(String httpHost, boolean passwordSet, String dbUser, String dbPassword,
                    boolean defaultDbCredentialsAllowed) {
    }

    @Inject
    ServiceConfig config;

    @ConfigProperty(name = "quarkus.http.host")
    String httpHost;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> dbPassword;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = problems(new Settings(httpHost,
                config.rootPassword().filter(password -> !password.isEmpty()).isPresent(),
                dbUser.orElse(""), dbPassword.orElse(""), config.allowDefaultDbCredentials()));
        if (!problems.isEmpty()) {
            String refusal = "tenant-backup refuses to start: " + String.join(" ", problems);
            LOG.error(refusal);
            throw new IllegalStateException(refusal);
        }
    }

    static List<String> problems(Settings settings) {
        List<String> problems = new ArrayList<>();
        if (!settings.passwordSet() && !isLoopback(settings.httpHost())) {
            problems.add("The API listens on " + settings.httpHost() + ", a non-loopback address, without a password:"
                    + " set TENANT_BACKUP_ROOT_PASSWORD, or listen on 127.0.0.1 (QUARKUS_HTTP_HOST=127.0.0.1).");
        }
        if (!settings.defaultDbCredentialsAllowed() && DEFAULT_DB_ACCOUNT.equals(settings.dbUser())
                && DEFAULT_DB_ACCOUNT.equals(settings.dbPassword())) {
            problems.add("The metadata database account is the default tenant_backup/tenant_backup: set"
                    + " QUARKUS_DATASOURCE_PASSWORD (and QUARKUS_DATASOURCE_USERNAME) to your own account, or set"
                    + " TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS=true for a demo or test machine.");
        }
        return problems;
    }

    /** A name that does not resolve counts as non-loopback: the check errs on the side of a password. */
    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
