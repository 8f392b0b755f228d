package io.tenantbackup.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStorageTest {

    @TempDir
    Path dir;

    @Test
    void fileIsInvisibleUntilCommittedAndGoneWhenAborted() throws IOException {
        BackupStorage storage = Storages.open("file://" + dir.resolve("dest"));
        try (BackupStorage.AtomicWriter writer = storage.create("set_1/data")) {
            writer.write("hello".getBytes(StandardCharsets.UTF_8));
            assertEquals(Optional.empty(), storage.size("set_1/data"));
            assertEquals(List.of(), storage.list(""));
            writer.commit();
        }
        assertEquals(Optional.of(5L), storage.size("set_1/data"));
        try (InputStream in = storage.open("set_1/data")) {
            assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (BackupStorage.AtomicWriter writer = storage.create("set_1/aborted")) {
            writer.write(1);
        }
        assertEquals(List.of("set_1/data"), storage.list(""));
        assertFalse(Files.exists(dir.resolve("dest/set_1/aborted.part")));

        storage.delete("set_1");
        assertFalse(Files.exists(dir.resolve("dest/set_1")));
        storage.delete("set_1");
    }

    @Test
    void refusesNamesThatLeaveTheRoot() {
        BackupStorage storage = Storages.open("file://" + dir);
        assertThrows(IllegalArgumentException.class, () -> storage.create("../x"));
        assertThrows(IllegalArgumentException.class, () -> storage.open("/etc/passwd"));
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
    void probeCreatesTheDestinationAndLeavesNothing() throws IOException {
        BackupStorage storage = Storages.open("file://" + dir.resolve("a/b"));
        storage.probe();
        assertTrue(Files.isDirectory(dir.resolve("a/b")));
        assertEquals(List.of(), storage.list(""));
    }

    @Test
    void probeSaysWhichStepFailed() throws IOException {
        Files.writeString(dir.resolve("plainfile"), "x");
        BackupStorage storage = Storages.open("file://" + dir.resolve("plainfile/sub"));
        IOException e = assertThrows(IOException.class, storage::probe);
        assertTrue(e.getMessage().contains("cannot create directory"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("plainfile/sub").toString()), e.getMessage());
    }
}
