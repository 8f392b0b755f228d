package io.tenantbackup.storage;

/**
 * {@code s3://}, {@code oss://} and {@code cos://}: object storage reached through its S3-compatible API. The three
 * share obshell's grammar ({@link ObjectUri}); COS also requires {@code appid}.
 */
final class ObjectStorageDriver implements StorageDriver {

    private final String scheme;
    private final boolean appIdRequired;

    private ObjectStorageDriver(String scheme, boolean appIdRequired) {
        this.scheme = scheme;
        this.appIdRequired = appIdRequired;
    }

    static ObjectStorageDriver s3() {
        return new ObjectStorageDriver("s3", false);
    }

    static ObjectStorageDriver oss() {
        return new ObjectStorageDriver("oss", false);
    }

    static ObjectStorageDriver cos() {
        return new ObjectStorageDriver("cos", true);
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public StorageUri parse(String raw) {
        ObjectUri parsed = ObjectUri.parse(scheme, raw);
        if (appIdRequired && parsed.appId().isEmpty()) {
            throw StorageErrors.invalid("cos appid is required", raw);
        }
        return new StorageUri(scheme, raw, parsed.redacted(), true);
    }

    @Override
    public BackupStorage open(StorageUri uri) {
        return new S3Storage(uri, ObjectUri.parse(scheme, uri.withCredentials()), Retries.DEFAULT,
                S3Clients.configuredProxy());
    }
}
