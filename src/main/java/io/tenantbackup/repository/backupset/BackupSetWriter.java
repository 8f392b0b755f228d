package io.tenantbackup.repository.backupset;

import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.StorageUri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A new backup set being written into its directory: each file through the set's codec under its stored name, then,
 * once every file was found stored whole ({@link #verify}), {@link #commit the manifest}, last. Until then the
 * directory is not a set for any reader.
 */
public final class BackupSetWriter {

    private final BackupStorage setDir;

    BackupSetWriter(BackupStorage setDir) {
        this.setDir = setDir;
    }

    public StorageUri uri() {
        return setDir.uri();
    }

    /** Starts storing mariabackup's stream; the producer writes its raw bytes to {@link StoredArtifact#stream()}. */
    public StoredArtifact createData(ArtifactCodec codec) throws IOException {
        return StoredArtifact.create(setDir, SetLayout.DATA, codec);
    }

    /** Stores mariabackup's {@code xtrabackup_checkpoints} and {@code xtrabackup_info} from its extra LSN directory. */
    public List<StoredArtifact.StoredFile> storeLsnFiles(Path extraLsnDir, ArtifactCodec codec) throws IOException {
        List<StoredArtifact.StoredFile> stored = new ArrayList<>();
        for (String source : List.of(SetLayout.CHECKPOINTS, SetLayout.INFO)) {
            stored.add(store(extraLsnDir.resolve(source), source, codec));
        }
        return stored;
    }

    /** Stores one binlog file the set carries (plus_archive). */
    public StoredArtifact.StoredFile storeBinlog(Path binlogFile, ArtifactCodec codec) throws IOException {
        return store(binlogFile, SetLayout.BINLOG_DIR + binlogFile.getFileName(), codec);
    }

    /**
     * Checks that a file just written is stored whole: it exists under its name with the size it was written with
     * (a missing, truncated or extended file fails, naming it). Its bytes are not read back: the SHA-256 of the
     * manifest was taken of exactly the bytes handed to the storage, and reading them again would double the I/O of
     * the backup. A byte changed after the write is found by verification ({@code SetVerifier}) and by every
     * restore, which read the file and check size and SHA-256 before using it.
     */
    public void verify(StoredArtifact.StoredFile file) throws IOException {
        String where = setDir.uri().resolve(file.name()).toString();
        long size = setDir.size(file.name()).orElseThrow(() -> new CorruptArtifactException(where
                + " is missing; it was written with " + file.size() + " bytes"));
        if (size != file.size()) {
            throw new CorruptArtifactException(where + " is " + size + " bytes, expected " + file.size());
        }
    }

    /** Writes the manifest, which makes the directory a backup set. */
    public void commit(BackupSetManifest manifest) throws IOException {
        ManifestFile.write(setDir, manifest);
    }

    private StoredArtifact.StoredFile store(Path file, String source, ArtifactCodec codec) throws IOException {
        try (StoredArtifact artifact = StoredArtifact.create(setDir, source, codec)) {
            Files.copy(file, artifact.stream());
            return artifact.commit();
        }
    }
}
