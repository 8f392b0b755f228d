package io.tenantbackup.codec;

import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@link ArtifactCodec#open} on three threads: one reads the stored bytes and hashes them, one decrypts and
 * decompresses, and the caller's consumes the original bytes, each a few chunks apart (about 10 MiB in flight). For a
 * large file a consumer writes out (a restore's extraction), where one thread doing all of it leaves the writes
 * waiting. Bytes, end and failures are those of {@link ArtifactCodec#open}: a damaged file fails naming it.
 */
public final class PipelinedDecoding {

    private static final int CHUNK = 1 << 20;
    private static final int DEPTH = 4;

    private PipelinedDecoding() {
    }

    public static InputStream open(ArtifactCodec codec, BackupStorage storage, StoredArtifact.StoredFile file)
            throws IOException {
        VerifyingInputStream verifying = VerifyingInputStream.open(storage, file);
        ReadAhead stored = ReadAhead.start(verifying, CHUNK, DEPTH, "read " + verifying.where());
        InputStream decoded;
        try {
            decoded = new VerifiedDecoding(codec.decoder(stored, file.name()), stored, verifying.where());
        } catch (IOException e) {
            IOException explained = VerifiedDecoding.explain(e, stored, verifying.where());
            stored.close();
            throw explained;
        }
        return ReadAhead.start(decoded, CHUNK, DEPTH, "decode " + verifying.where());
    }
}
