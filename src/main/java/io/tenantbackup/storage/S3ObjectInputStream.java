package io.tenantbackup.storage;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streams an object. When the connection breaks mid-object, the read resumes where it stopped with a ranged GET of
 * the same version ({@code If-Match} on the ETag), after a backoff, as often as {@link Retries} allows in a row; a
 * restore never starts a large object over and never splices two versions.
 */
final class S3ObjectInputStream extends InputStream {

    private final S3Storage storage;
    private final String name;
    private final String key;
    private final String etag;
    private ResponseInputStream<GetObjectResponse> body;
    private long position;

    private S3ObjectInputStream(S3Storage storage, String name, ResponseInputStream<GetObjectResponse> body) {
        this.storage = storage;
        this.name = name;
        this.key = storage.keyOf(name);
        this.body = body;
        this.etag = body.response().eTag();
    }

    /** Starts the download at once, so that a missing object is reported here as not found. */
    static S3ObjectInputStream open(S3Storage storage, String name) throws IOException {
        String key = storage.keyOf(name);
        return new S3ObjectInputStream(storage, name, storage.call("read", name,
                client -> client.getObject(r -> r.bucket(storage.bucket()).key(key))));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        return storage.retries().call("read " + name + " in " + storage.uri() + " from byte " + position, () -> {
            try {
                if (body == null) {
                    resume();
                }
                int read = body.read(bytes, offset, length);
                if (read > 0) {
                    position += read;
                }
                return read;
            } catch (StorageException e) {
                throw e;
            } catch (IOException | SdkException e) {
                dropBody();
                throw new StorageException("Cannot read '" + name + "' in " + storage.uri() + " at byte " + position
                        + " (" + e.getMessage() + ")", true, e);
            }
        });
    }

    @Override
    public void close() throws IOException {
        if (body != null) {
            body.abort();
            body.close();
            body = null;
        }
    }

    private void resume() throws StorageException {
        long from = position;
        body = storage.once("resume reading", name, client -> client.getObject(r -> r.bucket(storage.bucket()).key(key)
                .range("bytes=" + from + "-").ifMatch(etag)));
    }

    private void dropBody() {
        try {
            close();
        } catch (IOException ignored) {
            // the connection is already broken; the next read opens a new one
        }
    }
}
