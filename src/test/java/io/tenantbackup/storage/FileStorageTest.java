package io.tenantbackup.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
