package io.tenantbackup.it;

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
