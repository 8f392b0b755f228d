package io.tenantbackup.storage;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams a file of unknown length into one object with bounded memory: bytes fill one part buffer (grown up to the
 * part size, so a small file takes little); a full buffer is
 * uploaded as the next part of a multipart upload (started with the first full buffer), each part retried on its own
 * while it fails transiently. Commit completes the upload, or sends a file smaller than one part as a single PUT.
 * Closing without commit, or any failure, aborts the upload; an abort the server does not answer is handed to
 * {@link PendingAborts} so that no unfinished upload (and its stored parts) is left behind.
 */
final class S3MultipartWriter extends BackupStorage.AtomicWriter {

    /** S3 allows at most this many parts per upload. */
    static final int MAX_PARTS = 10_000;

    /** Small files (manifests, probes) never need the whole part buffer; it grows by doubling from this size. */
    private static final int FIRST_BUFFER = 64 * 1024;

    private final S3Storage storage;
    private final String name;
    private final String key;
    private final int partSize;
    private byte[] buffer;
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private String uploadId;
    private boolean finished;

    S3MultipartWriter(S3Storage storage, String name, int partSize) {
        this.storage = storage;
        this.name = name;
        this.key = storage.keyOf(name);
        this.partSize = partSize;
        this.buffer = new byte[Math.min(FIRST_BUFFER, partSize)];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        while (length > 0) {
            if (filled == buffer.length && buffer.length < partSize) {
                buffer = Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
            }
            int chunk = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, chunk);
            filled += chunk;
            offset += chunk;
            length -= chunk;
            if (filled == partSize) {
                failSafely(this::uploadPart);
            }
        }
    }

    @Override
    public void commit() throws IOException {
        requireOpen();
        failSafely(() -> {
            if (uploadId == null) {
                int size = filled;
                storage.call("write", name, client -> client.putObject(r -> r.bucket(storage.bucket()).key(key)
                        .contentLength((long) size), body(size)));
            } else {
                if (filled > 0) {
                    uploadPart();
                }
                List<CompletedPart> done = List.copyOf(parts);
                storage.call("complete the upload of", name, client -> client.completeMultipartUpload(r -> r
                        .bucket(storage.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(upload -> upload.parts(done))));
            }
            finished = true;
        });
    }

    @Override
    public void close() {
        if (!finished) {
            finished = true;
            abort();
        }
    }

    private void uploadPart() throws IOException {
        if (uploadId == null) {
            uploadId = storage.call("start the upload of", name, client -> client.createMultipartUpload(r -> r
                    .bucket(storage.bucket()).key(key))).uploadId();
        }
        int number = parts.size() + 1;
        if (number > MAX_PARTS) {
            throw new StorageException("Cannot write '" + name + "' in " + storage.uri() + ": it is larger than "
                    + MAX_PARTS + " parts of " + partSize + " bytes", false, null);
        }
        int size = filled;
        String etag = storage.call("upload part " + number + " of", name, client -> client.uploadPart(r -> r
                .bucket(storage.bucket()).key(key).uploadId(uploadId).partNumber(number).contentLength((long) size),
                body(size))).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        filled = 0;
    }

    /** The buffer as a request body without copying it; the SDK may read it twice (payload signing over http). */
    private RequestBody body(int size) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, size), size,
                "application/octet-stream");
    }

    private void abort() {
        if (uploadId == null) {
            return;
        }
        try {
            storage.call("abort the upload of", name, client -> client.abortMultipartUpload(r -> r
                    .bucket(storage.bucket()).key(key).uploadId(uploadId)));
        } catch (IOException e) {
            PendingAborts.add(storage, name, key, uploadId, e);
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private void failSafely(Step step) throws IOException {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void requireOpen() throws IOException {
        if (finished) {
            throw new IOException("The upload of '" + name + "' to " + storage.uri() + " is already finished");
        }
    }
}
