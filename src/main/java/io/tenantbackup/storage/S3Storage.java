package io.tenantbackup.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An object storage destination through the S3 API: a name is the object key {@code <uri key>/<name>}, a directory
 * is a key prefix ending in '/'. Objects become visible whole when their PUT or multipart upload completes, which is
 * what makes {@link #create} atomic; unfinished multipart uploads are never listed, and are aborted by the writer
 * that started them, by {@link PendingAborts} when the server was unreachable, and by {@link #delete} of a directory.
 * Every request is retried while it fails transiently ({@link Retries}).
 */
final class S3Storage implements BackupStorage {

    /**
     * The part buffer: each writer holds one, so an upload of any length needs this much heap, plus, while a part is
     * being sent, the copy the JDK's HttpURLConnection (the SDK's url-connection-client) makes of a body of known
     * length: at most about 3 part sizes per file being written. 16 MiB × 10,000 parts (S3's limit) = 156 GiB per file.
     */
    static final int PART_SIZE = 16 * 1024 * 1024;
    private static final String TAGGING = "tagging";

    private final StorageUri uri;
    private final ObjectUri location;
    private final Retries retries;
    private final String proxy;

    S3Storage(StorageUri uri, ObjectUri location, Retries retries, String proxy) {
        this.uri = uri;
        this.location = location;
        this.retries = retries;
        this.proxy = proxy;
    }

    @Override
    public StorageUri uri() {
        return uri;
    }

    @Override
    public AtomicWriter create(String name) throws IOException {
        return new S3MultipartWriter(this, StorageNames.requireValid(name, uri), PART_SIZE);
    }

    @Override
    public InputStream open(String name) throws IOException {
        return S3ObjectInputStream.open(this, StorageNames.requireValid(name, uri));
    }

    @Override
    public Optional<Long> size(String name) throws IOException {
        String key = keyOf(StorageNames.requireValid(name, uri));
        try {
            return Optional.of(call("stat", name, client -> client.headObject(r -> r.bucket(location.bucket()).key(key))
                    .contentLength()));
        } catch (StorageNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Entry> list(String directory) throws IOException {
        String prefix = prefixOf(directory.isEmpty() ? "" : StorageNames.requireValid(directory, uri));
        List<Entry> entries = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call("list", directory, client -> client.listObjectsV2(
                    ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix).delimiter("/")
                            .continuationToken(continuation).build()));
            for (S3Object object : page.contents()) {
                String child = object.key().substring(prefix.length());
                if (!child.isEmpty()) {
                    entries.add(new Entry(child, false));
                }
            }
            for (CommonPrefix common : page.commonPrefixes()) {
                String child = common.prefix().substring(prefix.length());
                entries.add(new Entry(child.substring(0, child.length() - 1), true));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    @Override
    public void delete(String name) throws IOException {
        String key = keyOf(StorageNames.requireValid(name, uri));
        call("delete", name, client -> client.deleteObject(r -> r.bucket(location.bucket()).key(key)));
        String prefix = key + "/";
        for (String below : keysBelow(name, prefix)) {
            call("delete", below.substring(keyOf("").length()), client ->
                    client.deleteObject(r -> r.bucket(location.bucket()).key(below)));
        }
        for (MultipartUpload upload : unfinishedUploads(key)) {
            call("abort the unfinished upload of", name, client -> client.abortMultipartUpload(r ->
                    r.bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId())));
        }
    }

    @Override
    public void retire(String name) throws IOException {
        if (!TAGGING.equals(location.deleteMode())) {
            delete(name);
            return;
        }
        String key = keyOf(StorageNames.requireValid(name, uri));
        List<String> keys = keysBelow(name, key + "/");
        if (size(name).isPresent()) {
            keys.add(key);
        }
        Tagging tagging = Tagging.builder().tagSet(Tag.builder().key(ObjectUri.DELETE_MODE).value(TAGGING).build()).build();
        for (String object : keys) {
            call("tag for deletion", object.substring(prefixOf("").length()), client -> client.putObjectTagging(r ->
                    r.bucket(location.bucket()).key(object).tagging(tagging)));
        }
    }

    @Override
    public void probe() throws IOException {
        String name = ".probe-" + UUID.randomUUID();
        String key = keyOf(name);
        byte[] content = "tenant-backup probe\n".getBytes(StandardCharsets.US_ASCII);
        call("write the probe object", name, client -> client.putObject(r -> r.bucket(location.bucket()).key(key),
                RequestBody.fromBytes(content)));
        byte[] read = call("read back the probe object", name, client ->
                client.getObjectAsBytes(r -> r.bucket(location.bucket()).key(key)).asByteArray());
        if (!Arrays.equals(content, read)) {
            throw new StorageException("Destination " + uri + " is not usable: the probe object " + name
                    + " read back differs from what was written", false, null);
        }
        call("delete the probe object", name, client -> client.deleteObject(r -> r.bucket(location.bucket()).key(key)));
    }

    /** Multipart uploads started under {@code key} (the file itself or anything below it) and not finished. */
    List<MultipartUpload> unfinishedUploads(String key) throws IOException {
        List<MultipartUpload> uploads = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        boolean more = true;
        while (more) {
            String keys = keyMarker;
            String ids = idMarker;
            var page = call("list unfinished uploads of", key, client -> client.listMultipartUploads(r ->
                    r.bucket(location.bucket()).prefix(key).keyMarker(keys).uploadIdMarker(ids)));
            page.uploads().stream().filter(upload -> upload.key().equals(key) || upload.key().startsWith(key + "/"))
                    .forEach(uploads::add);
            more = Boolean.TRUE.equals(page.isTruncated());
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
        return uploads;
    }

    private List<String> keysBelow(String name, String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = call("list", name, client -> client.listObjectsV2(
                    ListObjectsV2Request.builder().bucket(location.bucket()).prefix(prefix)
                            .continuationToken(continuation).build()));
            page.contents().forEach(object -> keys.add(object.key()));
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    String bucket() {
        return location.bucket();
    }

    String keyOf(String name) {
        return location.objectKey(name);
    }

    Retries retries() {
        return retries;
    }

    private String prefixOf(String directory) {
        String key = keyOf(directory);
        return key.isEmpty() ? "" : key + "/";
    }

    @FunctionalInterface
    interface Request<T> {
        T send(S3Client client);
    }

    /** One request, retried while it fails transiently; {@code action} and {@code name} go into the message. */
    <T> T call(String action, String name, Request<T> request) throws IOException {
        return retries.call(action + " " + name + " in " + uri, () -> once(action, name, request));
    }

    /** One request, not retried: the caller decides (a ranged read resumes rather than repeats). */
    <T> T once(String action, String name, Request<T> request) throws StorageException {
        S3Client client = client();
        try {
            return request.send(client);
        } catch (SdkException e) {
            throw S3Failures.of(action, name, location, uri, e);
        }
    }

    S3Client client() throws StorageException {
        List<String> missing = new ArrayList<>();
        if (location.region().isEmpty() && location.host().isEmpty()) {
            missing.add(ObjectUri.HOST);
        }
        if (location.accessId().isEmpty()) {
            missing.add(ObjectUri.ACCESS_ID);
        }
        if (location.accessKey().isEmpty()) {
            missing.add(ObjectUri.ACCESS_KEY);
        }
        if (location.bucket().isEmpty()) {
            missing.add("bucket");
        }
        if (!missing.isEmpty()) {
            throw new StorageException("Destination " + uri + " cannot be used: the URI has no "
                    + String.join(", ", missing) + (missing.contains(ObjectUri.ACCESS_KEY) ? " (keys are kept in memory for a"
                    + " destination of a saved backup config or a started restore; give the URI with its keys)" : ""),
                    false, null);
        }
        return S3Clients.of(location, proxy);
    }
}
