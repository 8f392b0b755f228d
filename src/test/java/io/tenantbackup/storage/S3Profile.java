package io.tenantbackup.storage;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.tenantbackup.testing.FaultInjectingProxy;
import io.tenantbackup.testing.S3ProxyServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The service against real S3 servers (s3proxy) reached through the {@link FaultInjectingProxy}, with its log in a
 * file the test scans for keys. The servers start before the service does and live as long as the test JVM.
 */
public class S3Profile implements QuarkusTestProfile {

    static final Path SERVICE_LOG = Path.of("target/s3-e2e/service.log").toAbsolutePath();
    private static S3ProxyServer main;
    private static S3ProxyServer unstable;
    private static FaultInjectingProxy proxy;

    /** The server holding the tenant's backups. */
    public static synchronized S3ProxyServer main() {
        start();
        return main;
    }

    /** A second server, stopped and started by the fault tests. */
    static synchronized S3ProxyServer unstable() {
        start();
        return unstable;
    }

    static synchronized FaultInjectingProxy proxy() {
        start();
        return proxy;
    }

    private static void start() {
        if (main != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("tbt-s3");
            Files.createDirectories(SERVICE_LOG.getParent());
            main = S3ProxyServer.start(dir.resolve("main"));
            unstable = S3ProxyServer.start(dir.resolve("unstable"));
            proxy = FaultInjectingProxy.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                main.close();
                unstable.close();
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(S3Clients.PROXY_SETTING, proxy().url(),
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", SERVICE_LOG.toString());
    }
}
