package io.tenantbackup.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

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
    void filesAre0600DirectoriesAre0700() throws IOException {
        BackupStorage storage = Storages.open("file://" + dir.resolve("dest"));
        storage.probe();
        try (BackupStorage.AtomicWriter writer = storage.create("set_1/sub/data")) {
            writer.write(1);
            writer.commit();
        }
        assertEquals("rw-------", mode(dir.resolve("dest/set_1/sub/data")));
        for (String directory : List.of("dest", "dest/set_1", "dest/set_1/sub")) {
            assertEquals("rwx------", mode(dir.resolve(directory)), directory);
        }
    }

    @Test
    void linksPlantedInTheDestinationAreNotFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "not a backup");
        BackupStorage storage = Storages.open("file://" + dir.resolve("dest"));
        storage.probe();
        Files.createSymbolicLink(dir.resolve("dest/manifest.json"), outside.resolve("secret"));
        Files.createSymbolicLink(dir.resolve("dest/set_2"), outside);
        assertThrows(IOException.class, () -> storage.open("manifest.json"));
        assertEquals(Optional.empty(), storage.size("manifest.json"));
        assertEquals(List.of(), storage.list(""));
        IOException escaped = assertThrows(IOException.class, () -> storage.create("set_2/data"));
        assertTrue(escaped.getMessage().contains("outside the destination"), escaped.getMessage());
        assertThrows(IOException.class, () -> storage.create("set_2/new/data"));
        assertThrows(IOException.class, () -> storage.open("set_2/secret"));
        assertThrows(IOException.class, () -> storage.delete("set_2/secret"));
        storage.delete("set_2");
        storage.delete("manifest.json");
        assertFalse(Files.exists(dir.resolve("dest/set_2"), LinkOption.NOFOLLOW_LINKS));
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(List.of("secret"), left.map(path -> path.getFileName().toString()).toList());
        }
        assertFalse(Files.exists(outside.resolve("data.part")));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
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
