package io.tenantbackup.testing;

import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.StorageUri;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** A real storage passed through; fault injectors and recorders override the calls they change or watch. */
public abstract class ForwardingStorage implements BackupStorage {

    protected final BackupStorage storage;

    protected ForwardingStorage(BackupStorage storage) {
        this.storage = storage;
    }

    @Override
    public StorageUri uri() {
        return storage.uri();
    }

    @Override
    public AtomicWriter create(String name) throws IOException {
        return storage.create(name);
    }

    @Override
    public InputStream open(String name) throws IOException {
        return storage.open(name);
    }

    @Override
    public Optional<Long> size(String name) throws IOException {
        return storage.size(name);
    }

    @Override
    public List<Entry> list(String directory) throws IOException {
        return storage.list(directory);
    }

    @Override
    public void delete(String name) throws IOException {
        storage.delete(name);
    }

    @Override
    public void retire(String name) throws IOException {
        storage.retire(name);
    }

    @Override
    public void probe() throws IOException {
        storage.probe();
    }
}
