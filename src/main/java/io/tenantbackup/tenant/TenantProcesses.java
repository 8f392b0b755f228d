package io.tenantbackup.tenant;

import io.tenantbackup.engine.mariadb.MariaDbServer;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Starts and stops tenants' mariadbd processes with their recorded settings. Start and stop of one tenant are
 * serialized by a per-tenant lock, so the supervisor never restarts an instance that a DAG is stopping.
 */
@ApplicationScoped
public class TenantProcesses {

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** The lock to hold while deciding on and changing the tenant's process. */
    ReentrantLock lockOf(String tenant) {
        return locks.computeIfAbsent(tenant, name -> new ReentrantLock());
    }

    /**
     * Starts the instance on its recorded port with its recorded options and variables; a live instance named by
     * the pid file is adopted as it is, neither killed nor started twice.
     */
    void start(TenantEntity tenant, Consumer<String> log) throws IOException, InterruptedException, SQLException {
        ReentrantLock lock = lockOf(tenant.name);
        lock.lock();
        try {
            MariaDbServer server = new MariaDbServer(tenant.layout());
            if (server.isRunning()) {
                log.accept("Tenant '" + tenant.name + "': mariadbd already runs with pid " + server.pid().orElseThrow());
                return;
            }
            startServer(tenant, server, Map.of(), log);
            applyVariables(tenant, tenant.variables(), log);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts mariadbd with an init file that creates the service's agent account with a new password and then runs
     * {@code statements}: for a fresh or restored datadir, whose agent password is not known. A live instance is
     * adopted as it is. The init file is removed once the server is up.
     */
    void startWithNewAgent(TenantEntity tenant, List<String> statements, Consumer<String> log)
            throws IOException, InterruptedException {
        MariaDbServer server = new MariaDbServer(tenant.layout());
        if (server.isRunning()) {
            log.accept("Tenant '" + tenant.name + "': mariadbd already runs with pid " + server.pid().orElseThrow());
            return;
        }
        Path initFile = tenant.layout().home().resolve("init.sql");
        tenant.instance().agent().writeInitFile(initFile, statements);
        try {
            startServer(tenant, server, Map.of("init-file", initFile.toString()), log);
        } finally {
            Files.deleteIfExists(initFile);
        }
    }

    /** {@code oneTimeOptions} (e.g. an init file) apply to this start only, besides the recorded options. */
    private void startServer(TenantEntity tenant, MariaDbServer server, Map<String, String> oneTimeOptions,
                             Consumer<String> log) throws IOException, InterruptedException {
        if (tenant.port == null || tenant.serverId == null) {
            throw new IllegalStateException("Tenant '" + tenant.name + "' has no recorded port or server id");
        }
        try {
            Map<String, String> options = new java.util.TreeMap<>(tenant.serverOptions());
            options.putAll(oneTimeOptions);
            server.start(tenant.port, tenant.serverId, options, log);
        } catch (IOException e) {
            throw new IOException("Tenant '" + tenant.name + "': " + e.getMessage(), e);
        }
    }

    void applyVariables(TenantEntity tenant, Map<String, String> variables, Consumer<String> log)
            throws IOException, SQLException {
        if (variables.isEmpty()) {
            return;
        }
        try (Connection agent = tenant.instance().agent().connect()) {
            TenantVariables.apply(tenant.name, agent, variables, log);
        }
    }

    void stop(TenantEntity tenant, Consumer<String> log) throws InterruptedException {
        ReentrantLock lock = lockOf(tenant.name);
        lock.lock();
        try {
            new MariaDbServer(tenant.layout()).stop(log);
        } finally {
            lock.unlock();
        }
    }

    /** The pid of the tenant's live mariadbd, if its pid file names one. */
    Optional<Long> runningPid(TenantEntity tenant) {
        MariaDbServer server = new MariaDbServer(tenant.layout());
        return server.isRunning() ? server.pid() : Optional.empty();
    }
}
