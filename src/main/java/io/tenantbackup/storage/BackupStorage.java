package io.tenantbackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where backup files go. Names are relative, '/'-separated paths below the storage root ({@code backup_set_1_full/
 * data.xbstream}); drivers only move bytes, transforms (compression, encryption, checksums) sit above.
 *
 * <p>Contract, proven for every driver by the conformance suite ({@code BackupStorageContract}):
 * <ul>
 * <li>a file written through {@link #create} is either complete under its name or absent, never partial, also for an
 * empty file and for one larger than any buffer of the driver;</li>
 * <li>{@link #list} is not recursive and shows only committed files and directories (on {@code file://} a
 * directory may appear before its first file is committed);</li>
 * <li>{@link #delete} and {@link #probe} are safe to repeat; deleting what is absent succeeds;</li>
 * <li>every failure is a {@link StorageException} whose message names the storage URI (redacted) and the file; a
 * missing file is a {@link StorageNotFoundException}; {@link StorageException#isTransient()} says whether trying
 * again may succeed (network, 5xx, throttling) or not (permissions, missing bucket, bad credentials).</li>
 * </ul>
 */
public interface BackupStorage {

    StorageUri uri();

    /** Starts writing {@code name}; nothing is visible under that name until {@link AtomicWriter#commit()}. */
    AtomicWriter create(String name) throws IOException;

    /** Reads a committed file; {@link StorageNotFoundException} when there is none. */
    InputStream open(String name) throws IOException;

    /** The size of a committed file, or empty if there is none. */
    Optional<Long> size(String name) throws IOException;

    /**
     * The files and directories directly below {@code directory} ("" for the root), sorted by name; empty when the
     * directory does not exist.
     */
    List<Entry> list(String directory) throws IOException;

    /** Removes a file or a directory with everything below it, including unfinished writes; absent is fine. */
    void delete(String name) throws IOException;

    /**
     * Removes expired backup data as the destination's {@code delete_mode} says: like {@link #delete} by default; an
     * object store with {@code delete_mode=tagging} tags every object instead ({@code delete_mode=tagging}), for the
     * bucket's lifecycle rule to remove. What makes data visible (a manifest) is deleted with {@link #delete}.
     */
    default void retire(String name) throws IOException {
        delete(name);
    }

    /** Proves the destination is usable: creates it, writes, reads back and deletes a file. The exception says which step failed. */
    void probe() throws IOException;

    /** A child of a listed directory: its name (one path segment) and whether it is a directory. */
    record Entry(String name, boolean directory) {
    }

    /** A file being written. Closing without {@link #commit()} discards it. */
    abstract class AtomicWriter extends OutputStream {

        /** Makes the file durable and visible under its name. */
        public abstract void commit() throws IOException;
    }
}
