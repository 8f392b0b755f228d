package io.tenantbackup.storage;

import io.tenantbackup.testing.FaultInjectingProxy;
import io.tenantbackup.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage contract on S3 with virtual-host addressing ({@code bucket.localhost:port}), the default without
 * {@code force_path_style}. {@code *.localhost} does not resolve here, so requests go through an HTTP forward proxy
 * ({@code tenant-backup.storage.http-proxy}), which is how the service reaches S3 behind one anyway.
 */
class S3VirtualHostStorageTest extends BackupStorageContract {

    @TempDir
    static Path dir;
    static S3ProxyServer server;
    static FaultInjectingProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        server = S3ProxyServer.start(dir.resolve("s3"));
        proxy = FaultInjectingProxy.start();
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        server.close();
    }

    @Override
    BackupStorage destination() {
        String uri = server.virtualHostUri(S3StorageTest.newBucket(server), "vh");
        return S3StorageTest.storage(uri, Retries.DEFAULT, proxy.url());
    }

    @Test
    void requestsNameTheBucketInTheHost() throws IOException {
        BackupStorage storage = destination();
        write(storage, "a", "x");
        String bucket = storage.uri().toString().substring("s3://".length(), storage.uri().toString().indexOf('/', 5));
        assertTrue(proxy.requests().stream().anyMatch(request -> request.host().equals(bucket + ".localhost:" + server.port())),
                proxy.requests().toString());
        assertTrue(proxy.requests().stream().noneMatch(request -> request.target().startsWith("/" + bucket + "/")),
                "no path-style request: " + proxy.requests());
    }
}
