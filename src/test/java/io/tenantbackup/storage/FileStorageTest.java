package io.tenantbackup.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage contract on {@code file://}, and what only a local directory has (part files, directories). */
class FileStorageTest extends BackupStorageContract {

    private static final AtomicInteger DESTINATIONS = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    BackupStorage destination() {
        return Storages.open("file://" + dir.resolve("dest" + DESTINATIONS.incrementAndGet()));
    }

    @Test
    void anAbortedWriteLeavesNoPartFile() throws IOException {
        BackupStorage storage = Storages.open("file://" + dir.resolve("dest"));
        try (BackupStorage.AtomicWriter writer = storage.create("set_1/aborted")) {
            writer.write(1);
        }
        assertFalse(Files.exists(dir.resolve("dest/set_1/aborted.part")));
    }

    @Test
    void probeCreatesTheDestination() throws IOException {
        Storages.open("file://" + dir.resolve("a/b")).probe();
        assertTrue(Files.isDirectory(dir.resolve("a/b")));
    }

    @Test
    void probeSaysWhichStepFailed() throws IOException {
        Files.writeString(dir.resolve("plainfile"), "x");
        BackupStorage storage = Storages.open("file://" + dir.resolve("plainfile/sub"));
        StorageException e = assertThrows(StorageException.class, storage::probe);
        assertTrue(e.getMessage().contains("cannot create directory"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("plainfile/sub").toString()), e.getMessage());
        assertFalse(e.isTransient());
    }
}
