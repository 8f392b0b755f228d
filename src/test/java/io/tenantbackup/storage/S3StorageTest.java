package io.tenantbackup.storage;

import io.tenantbackup.testing.FaultInjectingProxy;
import io.tenantbackup.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage contract on a real S3 server (s3proxy, path-style), and what only object storage has. */
class S3StorageTest extends BackupStorageContract {

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    /** Fast retries so that a test of an unreachable server takes seconds. */
    static final Retries FAST = new Retries(3, Duration.ofMillis(50), Duration.ofMillis(200));

    @TempDir
    static Path dir;
    static S3ProxyServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = S3ProxyServer.start(dir.resolve("s3"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    BackupStorage destination() {
        return Storages.open(server.pathStyleUri(newBucket(server), "tenants/t1/data"));
    }

    static String newBucket(S3ProxyServer on) {
        return on.createBucket("tbt-" + BUCKETS.incrementAndGet());
    }

    static S3Storage storage(String uri, Retries retries, String proxy) {
        StorageUri parsed = StorageUri.parse(uri);
        return new S3Storage(parsed, ObjectUri.parse(parsed.scheme(), uri), retries, proxy);
    }

    /**
     * s3proxy does not implement object tagging (501), like some S3-compatible servers: a tagging destination then
     * fails the retirement naming the object, and deletes nothing. The request is PutObjectTagging per object.
     */
    @Test
    void retireWithDeleteModeTaggingTagsInsteadOfDeletingAndDeletesNothingWhereTagsAreUnsupported() throws IOException {
        String bucket = newBucket(server);
        String uri = server.pathStyleUri(bucket, "t1/data");
        S3Storage tagging = storage(uri + "&delete_mode=tagging", FAST, "");
        write(tagging, "backup_set_1_full/data.xbstream.zst", "data");
        write(tagging, "backup_set_2_full/data.xbstream.zst", "kept");
        StorageException refused = assertThrows(StorageException.class, () -> tagging.retire("backup_set_1_full"));
        assertTrue(refused.getMessage().contains("Cannot tag for deletion 'backup_set_1_full/data.xbstream.zst'"),
                refused.getMessage());
        assertEquals(2, server.keys(bucket).size(), server.keys(bucket).toString());

        storage(uri, FAST, "").retire("backup_set_1_full");
        assertEquals(List.of("t1/data/backup_set_2_full/data.xbstream.zst"), server.keys(bucket));
    }

    @Test
    void anUploadClosedWithoutCommitLeavesNoUnfinishedUpload() throws IOException {
        String bucket = newBucket(server);
        BackupStorage storage = Storages.open(server.pathStyleUri(bucket, "d"));
        try (BackupStorage.AtomicWriter writer = storage.create("big")) {
            writeRandom(writer, S3Storage.PART_SIZE + 1);
        }
        assertEquals(List.of(), server.unfinishedUploads(bucket));
        assertEquals(List.of(), server.keys(bucket));
    }

    @Test
    void aServerGoneMidUploadFailsTheWriteAndTheUploadIsAbortedWhenItReturns() throws Exception {
        try (S3ProxyServer own = S3ProxyServer.start(dir.resolve("s3-stopped"))) {
            String bucket = newBucket(own);
            S3Storage storage = storage(own.pathStyleUri(bucket, "d"), FAST, "");
            BackupStorage.AtomicWriter writer = storage.create("set/data");
            writeRandom(writer, S3Storage.PART_SIZE + 10);
            assertEquals(1, own.unfinishedUploads(bucket).size(), "the first part is uploaded");
            own.stop();
            StorageException failed = assertThrows(StorageException.class,
                    () -> writeRandom(writer, S3Storage.PART_SIZE));
            assertTrue(failed.isTransient(), failed.getMessage());
            assertTrue(failed.getMessage().contains("upload part 2 of 'set/data'"), failed.getMessage());
            assertFalse(failed.getMessage().contains(S3ProxyServer.ACCESS_KEY), failed.getMessage());
            writer.close();
            own.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!own.unfinishedUploads(bucket).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertEquals(List.of(), own.unfinishedUploads(bucket), "the pending abort ran once the server was back");
            assertEquals(List.of(), own.keys(bucket));
        }
    }

    @Test
    void aTransient503OnOnePartIsRetriedAndTheFileIsWhole() throws IOException {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start()) {
            String bucket = newBucket(server);
            S3Storage storage = storage(server.pathStyleUri(bucket, "d"), FAST, proxy.url());
            proxy.failNext(1, request -> request.method().equals("PUT") && request.target().contains("partNumber=2"));
            byte[] written;
            try (BackupStorage.AtomicWriter writer = storage.create("data")) {
                written = writeRandom(writer, 2L * S3Storage.PART_SIZE + 5);
                writer.commit();
            }
            assertEquals(1, proxy.faultsInjected());
            try (InputStream in = storage.open("data")) {
                assertArrayEquals(written, sha256(in));
            }
            assertEquals(List.of(), server.unfinishedUploads(bucket));
        }
    }

    @Test
    void wrongCredentialsAreReportedWithoutTheKey() {
        String bucket = newBucket(server);
        String uri = server.pathStyleUri(bucket, "d").replace(S3ProxyServer.ACCESS_KEY, "not+the/key");
        StorageException e = assertThrows(StorageException.class, () -> Storages.open(uri).probe());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("access_id or access_key is wrong"), e.getMessage());
        assertFalse(e.getMessage().contains("not+the/key"), e.getMessage());
        assertFalse(e.getMessage().contains(S3ProxyServer.ACCESS_ID), e.getMessage());
    }

    @Test
    void aMissingBucketIsSaidSo() {
        StorageException e = assertThrows(StorageException.class,
                () -> Storages.open(server.pathStyleUri("no-such-bucket", "d")).probe());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("bucket 'no-such-bucket' does not exist at " + server.endpoint()),
                e.getMessage());
    }

    @Test
    void aUriWithoutKeysCannotBeUsedAndSaysWhatIsMissing() {
        StorageException e = assertThrows(StorageException.class,
                () -> Storages.open("s3://b/d?host=" + server.endpoint()).probe());
        assertTrue(e.getMessage().contains("the URI has no access_id, access_key"), e.getMessage());
    }

    /**
     * The upload's memory does not grow with the file: streaming 8 parts through a writer raises the live heap
     * (after a full GC, sampled after every part) by at most 3 part sizes: our part buffer, plus the copy of the part
     * in flight that the JDK's HttpURLConnection keeps while it sends a body of known length.
     */
    @Test
    void anUploadOfUnknownLengthHoldsOnePartInMemory() throws IOException {
        String bucket = newBucket(server);
        BackupStorage storage = Storages.open(server.pathStyleUri(bucket, "d"));
        long baseline = liveHeap();
        long peak = 0;
        try (BackupStorage.AtomicWriter writer = storage.create("stream")) {
            for (int part = 0; part < 8; part++) {
                writeRandom(writer, S3Storage.PART_SIZE);
                peak = Math.max(peak, liveHeap() - baseline);
            }
            writer.commit();
        }
        assertEquals(8L * S3Storage.PART_SIZE, storage.size("stream").orElseThrow());
        assertTrue(peak <= 3L * S3Storage.PART_SIZE, "live heap grew by " + peak + " bytes for a "
                + 8L * S3Storage.PART_SIZE + "-byte upload");
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

}
