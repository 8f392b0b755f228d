package io.tenantbackup.api.agent;

import io.quarkus.runtime.Startup;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.engine.process.ExternalCommand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Who this agent is, as obshell's /info and /status report it. */
@ApplicationScoped
@Startup
public class AgentIdentity {

    static final int STATE_RUNNING = 2;
    static final int OB_STATE_AVAILABLE = 3;
    private static final Pattern SERVER_VERSION = Pattern.compile("Ver (\\d+\\.\\d+\\.\\d+)");

    private final Instant startedAt = Instant.now();
    private volatile String serverVersion;

    @Inject
    ServiceConfig config;

    @Inject
    LocalAgent local;

    /** obshell API level we implement; the SDKs compare it numerically before the '-'. */
    @ConfigProperty(name = "tenant-backup.agent.api-version", defaultValue = "4.3.5.0")
    String apiVersion;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0")
    String release;

    long pid() {
        return ProcessHandle.current().pid();
    }

    long startedAtNanos() {
        return startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano();
    }

    String homePath() {
        return config.dataDir().toString();
    }

    public String ip() {
        return local.ip();
    }

    public int port() {
        return local.port();
    }

    String version() {
        return apiVersion + "-" + release.replaceAll("[^0-9]", "");
    }

    boolean passwordSet() {
        return config.rootPassword().filter(p -> !p.isEmpty()).isPresent();
    }

    String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    /** The MariaDB server version tenants run, read once from {@code mariadbd --version}. */
    String serverVersion() {
        if (serverVersion == null) {
            serverVersion = readServerVersion();
        }
        return serverVersion;
    }

    private static String readServerVersion() {
        try {
            String line = ExternalCommand.of("mariadbd", "--version").run().lastLine();
            Matcher m = SERVER_VERSION.matcher(line);
            return m.find() ? m.group(1) : "";
        } catch (Exception e) {
            return "";
        }
    }
}
