package io.tenantbackup.storage;

import org.eclipse.microprofile.config.ConfigProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One S3 client per endpoint, addressing style and key pair, kept for the life of the process (a client holds a
 * connection pool; building one per file would be slow).
 *
 * <p>Endpoint rules, as obshell's write check: {@code s3://} with {@code s3_region} is AWS S3 in that region
 * ({@code host} unused); otherwise the endpoint is {@code host} (https unless the host names its scheme) with the
 * region taken from well-known OSS and COS host names, else {@value #DEFAULT_REGION}, the region S3-compatible
 * servers (MinIO, Ceph RGW, s3proxy) accept by default. Virtual-host addressing ({@code bucket.host/key}) unless
 * {@code force_path_style=true}.
 *
 * <p>The SDK's own retries are off: {@link Retries} decides, per request and per part, from our classification.
 * Checksums are computed only when an operation requires them, since S3-compatible servers differ in support of the
 * newer trailing checksums. {@code tenant-backup.storage.http-proxy} (an http:// URL) sends every request through a
 * forward proxy.
 */
final class S3Clients {

    static final String DEFAULT_REGION = "us-east-1";
    static final String PROXY_SETTING = "tenant-backup.storage.http-proxy";

    private record Key(String endpoint, String region, boolean pathStyle, String accessId, String accessKey,
                       String proxy) {
        @Override
        public String toString() {
            return "S3 client " + endpoint + " " + region + (pathStyle ? " path-style" : " virtual-host");
        }
    }

    private static final Map<Key, S3Client> CLIENTS = new ConcurrentHashMap<>();

    private S3Clients() {
    }

    /** A client for the location, through {@code proxy} (an http:// URL) unless it is empty. */
    static S3Client of(ObjectUri location, String proxy) {
        String endpoint = location.region().isEmpty() ? endpoint(location.host()) : "";
        String region = location.region().isEmpty() ? regionOf(location) : location.region();
        Key key = new Key(endpoint, region, location.forcePathStyle(), location.accessId(), location.accessKey(), proxy);
        return CLIENTS.computeIfAbsent(key, S3Clients::build);
    }

    private static S3Client build(Key key) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60));
        if (!key.proxy().isEmpty()) {
            http.proxyConfiguration(ProxyConfiguration.builder().endpoint(URI.create(key.proxy()))
                    .useSystemPropertyValues(false).useEnvironmentVariablesValues(false).build());
        }
        var builder = S3Client.builder()
                .httpClientBuilder(http)
                .region(Region.of(key.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessId(), key.accessKey())))
                .forcePathStyle(key.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMinutes(5)));
        if (!key.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(key.endpoint()));
        }
        return builder.build();
    }

    private static String endpoint(String host) {
        return host.startsWith("http://") || host.startsWith("https://") ? host : "https://" + host;
    }

    /** {@code oss-cn-hangzhou.aliyuncs.com} → cn-hangzhou, {@code cos.ap-guangzhou.myqcloud.com} → ap-guangzhou. */
    static String regionOf(ObjectUri location) {
        String host = URI.create(endpoint(location.host())).getHost();
        if (host != null && host.endsWith(".aliyuncs.com") && host.startsWith("oss-")) {
            return host.substring("oss-".length(), host.indexOf('.')).replace("-internal", "");
        }
        if (host != null && host.endsWith(".myqcloud.com") && host.startsWith("cos.")) {
            return host.substring("cos.".length(), host.indexOf(".myqcloud.com"));
        }
        return DEFAULT_REGION;
    }

    /** The configured forward proxy, "" for none. */
    static String configuredProxy() {
        return ConfigProvider.getConfig().getOptionalValue(PROXY_SETTING, String.class).orElse("").trim();
    }
}
