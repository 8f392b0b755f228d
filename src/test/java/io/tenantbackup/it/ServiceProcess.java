package io.tenantbackup.it;

import io.restassured.RestAssured;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.testing.TestTenant;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tenantbackup.api.Contract.api;

/**
 * The packaged service (target/quarkus-app/quarkus-run.jar) running as its own process, so a test can kill it
 * with SIGKILL and start it again on the same metadata database and data directory.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private final String jdbcUrl;
    private final Path log;
    private final Map<String, String> environment = new HashMap<>();
    private Process process;

    public ServiceProcess(Path dataDir, int port, String jdbcUrl, Path log) {
        this.dataDir = dataDir;
        this.port = port;
        this.jdbcUrl = jdbcUrl;
        this.log = log;
    }

    /** An empty metadata database for a packaged service of its own (the test account may create tenant_backup*). */
    public static void recreateDatabase(String name) throws SQLException {
        try (Connection meta = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/?useSSL=false",
                "tenant_backup", "tenant_backup"); Statement sql = meta.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + name);
            sql.execute("CREATE DATABASE " + name);
        }
    }

    /** A started service of its own: an empty metadata database {@code db}, {@code dataDir}, a fresh {@code log}. */
    public static ServiceProcess startFresh(Path dataDir, String db, Path log, Map<String, String> settings)
            throws Exception {
        recreateDatabase(db);
        Files.deleteIfExists(log);
        ServiceProcess service = new ServiceProcess(dataDir, TestTenant.freePort(), "jdbc:mysql://127.0.0.1:3306/" + db,
                log);
        service.environment.putAll(settings);
        service.start();
        return service;
    }

    /**
     * {@link #startFresh} for a test that owns {@code workDir}: what an earlier run left of its {@code tenants}
     * (their mariadbd included) and of the directory goes first, and RestAssured points at the started service.
     */
    public static ServiceProcess startCleanFor(Path workDir, Path tenantsDir, List<String> tenants, String db,
                                               Path log) throws Exception {
        for (String name : tenants) {
            TenantApiClient.removeLeftovers(tenantsDir, name);
        }
        TestTenant.deleteTree(workDir);
        ServiceProcess service = startFresh(tenantsDir, db, log, Map.of());
        RestAssured.baseURI = service.baseUri();
        RestAssured.port = -1;
        return service;
    }

    /** Drops those of {@code tenants} that exist, in that order, then stops the service and resets RestAssured. */
    public void closeDropping(List<String> tenants) throws InterruptedException {
        try {
            for (String name : tenants) {
                if (api().get("/api/v1/tenant/" + name).statusCode() == 200) {
                    TenantApiClient.dropTenant(name);
                }
            }
        } finally {
            close();
            RestAssured.reset();
        }
    }

    Path log() {
        return log;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** Adds or overrides a setting of the service's environment for the next start. */
    public ServiceProcess with(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    public void start() throws IOException, InterruptedException {
        process = launch();
        awaitUp();
    }

    /** Starts the service for a start it must refuse and waits until it has exited; returns its exit code. */
    int startAndAwaitExit() throws IOException, InterruptedException {
        process = launch();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new IOException("service still runs after 90 s; see " + log);
        }
        return process.exitValue();
    }

    private Process launch() throws IOException {
        String jar = System.getProperty("service.jar", "target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(List.of("java", "-jar", jar))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        builder.environment().put("TENANT_BACKUP_DATA_DIR", dataDir.toString());
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(TestTenant.freePort()));
        builder.environment().put("TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS", "true");
        builder.environment().putAll(environment);
        Files.createDirectories(dataDir);
        return builder.start();
    }

    /** SIGSTOP or SIGCONT: a process frozen (a VM pause, a long GC, a network cut) and woken up again. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL: the JVM gets no chance to clean up, as in a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private void awaitUp() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest status = HttpRequest.newBuilder(URI.create(baseUri() + "/api/v1/status"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (client.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IOException("service did not answer within 90 s; see " + log);
    }
}
