package io.tenantbackup.testing;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 server for the tests: s3proxy (from Maven Central, copied to target/s3proxy/s3proxy.jar by the build)
 * with its filesystem backend in a directory of its own, on a free loopback port, SigV4 with a fixed test key pair.
 * It serves path-style requests to {@code localhost:<port>} and virtual-host requests for {@code <bucket>.localhost}
 * (s3proxy takes any other Host header for a bucket name, so clients must say {@code localhost}, not the IP). {@link #stop()} and
 * {@link #start()} keep the port and the stored objects, so a test can take the server away mid-upload.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_ID = "tbt-access-id";
    public static final String ACCESS_KEY = "tbt+Secret/Key=42";
    private static final Path JAR = Path.of("target/s3proxy/s3proxy.jar");

    private final Path directory;
    private final int port;
    private Process process;
    private S3Client client;

    private S3ProxyServer(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Starts a server with an empty store below {@code directory}. */
    public static S3ProxyServer start(Path directory) throws IOException {
        S3ProxyServer server = new S3ProxyServer(directory, freePort());
        Files.createDirectories(directory.resolve("store"));
        Files.writeString(directory.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + server.port,
                "s3proxy.virtual-host=localhost",
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_ID,
                "s3proxy.credential=" + ACCESS_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + directory.resolve("store").toAbsolutePath(), ""));
        server.start();
        return server;
    }

    public void start() throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the build's process-test-resources phase");
        }
        process = new ProcessBuilder("java", "-Xmx192m", "-XX:+UseSerialGC", "-jar", JAR.toString(),
                "--properties", directory.resolve("s3proxy.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("s3proxy.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!listening()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IOException("s3proxy did not start; see " + directory.resolve("s3proxy.log"));
            }
            sleep(100);
        }
    }

    /** Kills the server at once, as a crash or a network cut would look to a client. */
    public void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    public String endpoint() {
        return "http://localhost:" + port;
    }

    /** A bucket created for the caller. */
    public String createBucket(String bucket) {
        client().createBucket(request -> request.bucket(bucket));
        return bucket;
    }

    /** {@code s3://bucket/key?…} with the test keys, path-style. */
    public String pathStyleUri(String bucket, String key) {
        return "s3://" + bucket + "/" + key + "?host=" + endpoint() + "&access_id=" + ACCESS_ID + "&access_key="
                + ACCESS_KEY + "&force_path_style=true";
    }

    /** {@code s3://bucket/key?…} addressed as {@code bucket.localhost}; needs a proxy that resolves it. */
    public String virtualHostUri(String bucket, String key) {
        return "s3://" + bucket + "/" + key + "?host=" + endpoint() + "&access_id=" + ACCESS_ID
                + "&access_key=" + ACCESS_KEY;
    }

    /** Multipart uploads started and neither completed nor aborted, in the whole bucket. */
    public List<MultipartUpload> unfinishedUploads(String bucket) {
        return client().listMultipartUploads(request -> request.bucket(bucket)).uploads();
    }

    /** Keys of every object in the bucket. */
    public List<String> keys(String bucket) {
        return client().listObjectsV2Paginator(request -> request.bucket(bucket)).contents().stream()
                .map(object -> object.key()).toList();
    }

    public synchronized S3Client client() {
        if (client == null) {
            client = newClient();
        }
        return client;
    }

    private S3Client newClient() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_ID, ACCESS_KEY)))
                .build();
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
