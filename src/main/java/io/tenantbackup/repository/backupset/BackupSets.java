package io.tenantbackup.repository.backupset;

import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.codec.VerifyingInputStream;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.StorageNotFoundException;
import io.tenantbackup.storage.StorageUri;
import io.tenantbackup.storage.Storages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The backup sets of one data destination: the one way in for whoever writes, reads, lists or deletes them. The
 * destination, not the catalog, is the source of truth, and it is untrusted input: every manifest is read strictly
 * ({@link BackupSetManifest}), names are checked before they become paths.
 *
 * <p>What a lifecycle job (retention, verification) needs:
 * <ul>
 * <li>{@link #list()}: every set that has a manifest, by id, with one non-recursive listing of the destination plus
 * one read per set; directories without a manifest (a backup running or abandoned) are not sets;</li>
 * <li>{@link #read(String)}: one set's manifest, e.g. to follow {@link BackupSetManifest#parent()} links or to know
 * its {@link BackupSetManifest#chainRootBackupSetId() chain};</li>
 * <li>{@link #verify(String)}: reads every file the manifest lists and checks its size and SHA-256, without the
 * password (the checksums cover the stored bytes);</li>
 * <li>{@link #open(String, char[])}: its files' original bytes, checksum-verified while read;</li>
 * <li>{@link #delete(String)}: removes a set, manifest first, so that an interrupted delete leaves a directory that is
 * no longer a set rather than a set with missing files; {@link #expire(String)} does the same for retention, through
 * the destination's {@code delete_mode}. Neither looks at other sets: whoever expires a chain deletes its
 * incrementals newest first and its full last, so that no listed set ever names a missing parent;</li>
 * <li>{@link #withoutManifest()}: the set directories that are not (or no longer) sets.</li>
 * </ul>
 */
public final class BackupSets {

    private final BackupStorage destination;

    private BackupSets(BackupStorage destination) {
        this.destination = destination;
    }

    public static BackupSets in(BackupStorage destination) {
        return new BackupSets(destination);
    }

    public static BackupSets in(String destinationUri) {
        return in(Storages.open(destinationUri));
    }

    /** Where the set {@code directory} of {@code destination} is, as the catalog records it. */
    public static StorageUri uriOf(StorageUri destination, String directory) {
        return destination.resolve(SetLayout.requireDirectory(directory, "backup set directory"));
    }

    public StorageUri uri() {
        return destination.uri();
    }

    public StorageUri uri(String directory) {
        return uriOf(destination.uri(), directory);
    }

    /**
     * Every set of the destination, by id. An unreadable manifest, or one whose id is not its directory's, fails
     * naming the file; only directories named as {@link SetLayout} names them count.
     */
    public List<StoredSet> list() throws IOException {
        List<StoredSet> sets = new ArrayList<>();
        Map<Long, String> directories = new HashMap<>();
        for (BackupStorage.Entry entry : destination.list("")) {
            OptionalLong id = SetLayout.idOf(entry.name());
            if (!entry.directory() || id.isEmpty()) {
                continue;
            }
            BackupSetManifest manifest;
            try {
                manifest = read(entry.name()).manifest();
            } catch (StorageNotFoundException noManifest) {
                continue;
            }
            String other = directories.putIfAbsent(id.getAsLong(), entry.name());
            if (other != null) {
                throw new IOException("Backup set " + id.getAsLong() + " has two directories with a manifest in "
                        + destination.uri() + ": " + other + " and " + entry.name());
            }
            sets.add(new StoredSet(entry.name(), manifest));
        }
        sets.sort(Comparator.comparingLong(StoredSet::id));
        return List.copyOf(sets);
    }

    /**
     * The set in {@code directory}; {@link StorageNotFoundException} when it has no manifest, an {@link IOException}
     * naming the file when the manifest is refused or describes another set than its directory's.
     */
    public StoredSet read(String directory) throws IOException {
        BackupStorage setDir = setDir(directory);
        BackupSetManifest manifest = ManifestFile.read(setDir);
        if (manifest.backupSetId() != SetLayout.idOf(directory).orElseThrow()) {
            throw new IOException(setDir.uri().resolve(SetLayout.MANIFEST) + " describes backup set "
                    + manifest.backupSetId() + ", but its directory is " + directory);
        }
        return new StoredSet(directory, manifest);
    }

    /**
     * Opens the set in {@code directory} to read its files; {@code password} may be null for an unencrypted set (the
     * caller owns the array). A missing or wrong password fails with a
     * {@link io.tenantbackup.crypto.WrongPasswordException}.
     */
    public BackupSetReader open(String directory, char[] password) throws IOException {
        return BackupSetReader.open(setDir(directory), password);
    }

    /**
     * Opens {@code set}, as {@link #read} found it, with a key {@link #key} derived; the caller keeps owning the key.
     */
    public BackupSetReader openWith(StoredSet set, MasterKey key) throws WrongPasswordException {
        return BackupSetReader.openWith(setDir(set.directory()), set.manifest(), key);
    }

    /**
     * The key of {@code set}, derived from {@code password} and checked against its manifest (null when the set is
     * not encrypted); the caller owns it. A missing or wrong password fails with a
     * {@link WrongPasswordException}. Deriving costs an Argon2id run: a caller that reads the
     * set later keeps the key rather than the password.
     */
    public MasterKey key(StoredSet set, char[] password) throws WrongPasswordException {
        return BackupSetReader.key(setDir(set.directory()), set.manifest(), password);
    }

    /**
     * Reads back every file of the set in {@code directory}, no password needed: a missing file fails with a
     * {@link StorageNotFoundException}, another size or SHA-256 than the manifest lists with a
     * {@link io.tenantbackup.crypto.CorruptArtifactException}, each naming the file.
     */
    public StoredSet verify(String directory) throws IOException {
        StoredSet set = read(directory);
        BackupStorage setDir = setDir(directory);
        for (StoredArtifact.StoredFile file : set.manifest().files()) {
            VerifyingInputStream.verify(setDir, file);
        }
        return set;
    }

    /** Writes a new set into {@code directory}. */
    public BackupSetWriter create(String directory) {
        return new BackupSetWriter(setDir(directory));
    }

    /** Removes the set in {@code directory}, manifest first, then its files; absent is fine. */
    public void delete(String directory) throws IOException {
        deleteManifest(directory);
        destination.delete(directory);
    }

    /**
     * Retention's {@link #delete}: the manifest is deleted, then the files go as the destination's
     * {@code delete_mode} says ({@link BackupStorage#retire}: an S3 destination with {@code delete_mode=tagging} tags
     * them for the bucket's lifecycle rule). Also removes a directory {@link #withoutManifest()} lists.
     */
    public void expire(String directory) throws IOException {
        deleteManifest(directory);
        destination.retire(directory);
    }

    /**
     * The directories named as sets that hold no manifest, by id: a backup being written, or what an interrupted
     * backup or deletion left; only the catalog can tell which.
     */
    public Map<Long, String> withoutManifest() throws IOException {
        Map<Long, String> directories = new TreeMap<>();
        for (BackupStorage.Entry entry : destination.list("")) {
            OptionalLong id = SetLayout.idOf(entry.name());
            if (entry.directory() && id.isPresent()
                    && destination.size(SetLayout.manifestOf(entry.name())).isEmpty()) {
                directories.put(id.getAsLong(), entry.name());
            }
        }
        return directories;
    }

    private void deleteManifest(String directory) throws IOException {
        SetLayout.requireDirectory(directory, "backup set directory");
        destination.delete(SetLayout.manifestOf(directory));
    }

    private BackupStorage setDir(String directory) {
        return Storages.open(uri(directory));
    }
}
