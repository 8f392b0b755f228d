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
 * <p>Contract: a file written through {@link #create} is either complete under its name or absent, never partial.
 * {@link #delete} and {@link #probe} are safe to repeat. Every failure is an {@link IOException} whose message names
 * the storage URI and the file.
 */
public interface BackupStorage {

    StorageUri uri();

    /** Starts writing {@code name}; nothing is visible under that name until {@link AtomicWriter#commit()}. */
    AtomicWriter create(String name) throws IOException;

    InputStream open(String name) throws IOException;

    /** The size of a committed file, or empty if there is none. */
    Optional<Long> size(String name) throws IOException;

    /** All committed files below {@code directory} ("" for all), as names relative to the storage root, sorted. */
    List<String> list(String directory) throws IOException;

    /** Removes a file or a directory with everything below it, including unfinished writes; absent is fine. */
    void delete(String name) throws IOException;

    /** Proves the destination is usable: creates it, writes, syncs and deletes a file. The exception says which step failed. */
    void probe() throws IOException;

    /** A file being written. Closing without {@link #commit()} discards it. */
    abstract class AtomicWriter extends OutputStream {

        /** Makes the file durable and visible under its name. */
        public abstract void commit() throws IOException;
    }
}
