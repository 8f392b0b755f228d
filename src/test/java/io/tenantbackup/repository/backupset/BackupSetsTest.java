package io.tenantbackup.repository.backupset;

import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.CorruptArtifactException;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.ForwardingStorage;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup-set format's destination side on real files: which directories are sets, the checks on what a
 * destination holds, deletion in the order that never leaves a set with missing files, and the chain walk.
 */
class BackupSetsTest {

    private Path root;
    private BackupSets sets;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createTempDirectory("tb-sets");
        sets = BackupSets.in(Storages.open("file://" + root));
    }

    @AfterEach
    void tearDown() throws IOException {
        TestTenant.deleteTree(root);
    }

    @Test
    void onlyDirectoriesNamedAsSetsThatHoldAManifestAreListedByIdAndReadBackAsWritten() throws IOException {
        BackupSetManifest full = manifest(1, null);
        write("backup_set_1_full", full);
        write("backup_set_12_inc", manifest(12, 1L));
        write("backup_set_2_inc", manifest(2, 1L));
        Files.createDirectories(root.resolve("backup_set_3_full"));
        Files.writeString(root.resolve("backup_set_3_full").resolve("data.xbstream.zst"), "a backup still running");
        Files.createDirectories(root.resolve("copied_by_hand"));
        Files.copy(root.resolve("backup_set_1_full").resolve(SetLayout.MANIFEST),
                root.resolve("copied_by_hand").resolve(SetLayout.MANIFEST));
        Files.writeString(root.resolve("backup_set_4_full"), "a file, not a directory");

        assertEquals(List.of("backup_set_1_full", "backup_set_2_inc", "backup_set_12_inc"),
                sets.list().stream().map(StoredSet::directory).toList());
        assertEquals(full, sets.read("backup_set_1_full").manifest());
        assertEquals(Map.of(3L, "backup_set_3_full"), sets.withoutManifest());
    }

    /**
     * A manifest as the service has written them since format 2 (kept as a file, so a change of the writer's bytes
     * or of what the reader accepts shows here): read back whole and written again byte for byte.
     */
    @Test
    void aFormat2ManifestReadsBackAndIsWrittenAgainByteForByte() throws Exception {
        Path written = Path.of(getClass().getResource("/backupset-format-2/backup_set_2_inc/manifest.json").toURI());
        Files.createDirectories(root.resolve("backup_set_2_inc"));
        Files.copy(written, root.resolve("backup_set_2_inc").resolve(SetLayout.MANIFEST));
        StoredSet set = sets.list().get(0);
        assertEquals(2, set.id());
        assertEquals("backup_set_1_full", set.manifest().parent().directory());
        assertEquals("argon2id", set.manifest().encryption().kdf().algorithm());
        assertEquals(List.of("data.xbstream.zst.enc", "xtrabackup_checkpoints.zst.enc", "xtrabackup_info.zst.enc"),
                set.manifest().files().stream().map(StoredArtifact.StoredFile::name).toList());
        assertEquals(Files.readString(written), new String(ManifestFile.bytes(set.manifest()), StandardCharsets.UTF_8));
    }

    @Test
    void aManifestDescribingAnotherSetThanItsDirectoryIsRefusedNamingIt() throws IOException {
        write("backup_set_1_full", manifest(1, null));
        Files.createDirectories(root.resolve("backup_set_5_full"));
        Files.copy(root.resolve("backup_set_1_full").resolve(SetLayout.MANIFEST),
                root.resolve("backup_set_5_full").resolve(SetLayout.MANIFEST));
        IOException refused = assertThrows(IOException.class, () -> sets.list());
        assertTrue(refused.getMessage().contains("backup_set_5_full/manifest.json describes backup set 1, but its"
                + " directory is backup_set_5_full"), refused.getMessage());
    }

    @Test
    void oneSetInTwoDirectoriesIsRefused() throws IOException {
        write("backup_set_1_full", manifest(1, null));
        write("backup_set_1_inc", manifest(1, null));
        IOException refused = assertThrows(IOException.class, () -> sets.list());
        assertTrue(refused.getMessage().contains("Backup set 1 has two directories with a manifest"),
                refused.getMessage());
    }

    @Test
    void deleteRemovesTheManifestFirstThenTheFiles() throws IOException {
        write("backup_set_1_full", manifest(1, null));
        Files.writeString(root.resolve("backup_set_1_full").resolve("data.xbstream.zst"), "data");
        DeleteRecorder recorder = new DeleteRecorder(Storages.open("file://" + root));
        BackupSets.in(recorder).delete("backup_set_1_full");
        assertEquals(List.of("backup_set_1_full/manifest.json", "backup_set_1_full"), recorder.deleted);
        assertFalse(Files.exists(root.resolve("backup_set_1_full")));
        assertEquals(List.of(), sets.list());
        BackupSets.in(recorder).delete("backup_set_1_full");
    }

    @Test
    void expireDeletesTheManifestFirstThenRetiresTheFilesAsTheDestinationSays() throws IOException {
        write("backup_set_1_full", manifest(1, null));
        Files.writeString(root.resolve("backup_set_1_full").resolve("data.xbstream.zst"), "data");
        DeleteRecorder recorder = new DeleteRecorder(Storages.open("file://" + root));
        BackupSets.in(recorder).expire("backup_set_1_full");
        assertEquals(List.of("backup_set_1_full/manifest.json", "retire backup_set_1_full"), recorder.deleted);
        assertEquals(List.of(), sets.list());
        assertEquals(Map.of(), sets.withoutManifest());
    }

    /**
     * "Wait backup Finish" does not read the set back (its SHA-256 values were taken of the bytes as written): it
     * proves each file is stored whole, so a file missing or of another size than written is refused, named.
     */
    @Test
    void aFileMissingOrOfAnotherSizeThanWrittenIsNotStoredWhole() throws IOException {
        Path lsnDir = Files.createDirectories(root.resolveSibling(root.getFileName() + "-lsn"));
        try {
            Files.writeString(lsnDir.resolve(SetLayout.CHECKPOINTS), "backup_type = full-backuped\nto_lsn = 200\n");
            Files.writeString(lsnDir.resolve(SetLayout.INFO), "tool_name = mariabackup\n");
            BackupSetWriter set = sets.create("backup_set_5_full");
            List<StoredArtifact.StoredFile> files = set.storeLsnFiles(lsnDir, ArtifactCodec.zstd(1, 0));
            for (StoredArtifact.StoredFile file : files) {
                set.verify(file);
            }

            Path checkpoints = root.resolve("backup_set_5_full").resolve(files.get(0).name());
            byte[] written = Files.readAllBytes(checkpoints);
            Files.write(checkpoints, Arrays.copyOf(written, written.length - 1));
            assertEquals("file://" + checkpoints + " is " + (written.length - 1) + " bytes, expected " + written.length,
                    assertThrows(CorruptArtifactException.class, () -> set.verify(files.get(0))).getMessage());
            Path info = root.resolve("backup_set_5_full").resolve(files.get(1).name());
            Files.delete(info);
            assertEquals("file://" + info + " is missing; it was written with " + files.get(1).size() + " bytes",
                    assertThrows(CorruptArtifactException.class, () -> set.verify(files.get(1))).getMessage());
        } finally {
            TestTenant.deleteTree(lsnDir);
        }
    }

    @Test
    void namesThatAreNotSetDirectoriesAreRefusedBeforeTheyBecomePaths() {
        for (String name : List.of("..", "round_1", "backup_set_1_full/../..", "backup_set_x_full")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> sets.delete(name));
            assertTrue(refused.getMessage().contains("is not a valid name"), refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sets.read(name));
        }
    }

    @Test
    void theWriterRefusesAManifestItsReaderWouldRefuse() {
        BackupSetManifest valid = manifest(1, null);
        BackupSetManifest crafted = new BackupSetManifest(valid.formatVersion(), 1, 1, "../t", "FULL",
                valid.startTime(), valid.endTime(), 0, 1, 1, null, null, "", null, 1, false, null, null, "zstd",
                BackupSetManifest.Encryption.NONE, valid.files());
        assertThrows(IllegalStateException.class, () -> sets.create("backup_set_1_full").commit(crafted));
        assertFalse(Files.exists(root.resolve("backup_set_1_full").resolve(SetLayout.MANIFEST)));
    }

    @Test
    void theChainEndsAtTheNewestAdmittedSetAndStartsAtItsFull() throws IOException {
        List<StoredSet> all = List.of(set(1, null), set(2, 1L), set(3, 2L), set(4, null), set(5, 4L));
        assertEquals(List.of(1L, 2L, 3L), ids(BackupChain.endingAt(all, manifest -> manifest.backupSetId() <= 3)));
        assertEquals(List.of(4L, 5L), ids(BackupChain.endingAt(all, manifest -> true)));
        assertEquals(List.of(), BackupChain.endingAt(all, manifest -> false));
    }

    @Test
    void aLoopAMissingParentAndAnOverlongChainAreRefused() throws IOException {
        IOException loop = assertThrows(IOException.class,
                () -> BackupChain.endingAt(List.of(set(1, 2L), set(2, 1L)), manifest -> true));
        assertTrue(loop.getMessage().contains("loops back to backup set 2"), loop.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> BackupChain.endingAt(List.of(set(1, null), set(3, 2L)), manifest -> true));
        assertTrue(missing.getMessage().contains("Backup set 3 is an incremental of backup set 2"),
                missing.getMessage());
        List<StoredSet> longChain = new ArrayList<>(List.of(set(1, null)));
        for (long id = 2; id <= BackupChain.MAX_LENGTH + 1; id++) {
            longChain.add(set(id, id - 1));
        }
        IOException overlong = assertThrows(IOException.class, () -> BackupChain.endingAt(longChain, manifest -> true));
        assertTrue(overlong.getMessage().contains("is longer than " + BackupChain.MAX_LENGTH + " sets"),
                overlong.getMessage());
        assertEquals(BackupChain.MAX_LENGTH,
                BackupChain.endingAt(longChain.subList(0, BackupChain.MAX_LENGTH), manifest -> true).size());
    }

    private void write(String directory, BackupSetManifest manifest) throws IOException {
        sets.create(directory).commit(manifest);
    }

    private static StoredSet set(long id, Long parent) {
        return new StoredSet(SetLayout.directoryName(id, parent != null), manifest(id, parent));
    }

    private static List<Long> ids(List<StoredSet> chain) {
        return chain.stream().map(StoredSet::id).toList();
    }

    static BackupSetManifest manifest(long id, Long parent) {
        return new BackupSetManifest(BackupSetManifest.FORMAT_VERSION, id, 7, "src", parent == null ? "FULL" : "INC",
                "2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z", parent == null ? 0 : 100, 200, 200,
                "mysql-bin.000002", 342L, "0-1-" + id,
                parent == null ? null : new BackupSetManifest.Parent(parent, SetLayout.directoryName(parent,
                        parent != 1), 100),
                1, false, null, new BackupSetManifest.ToolVersions("mariabackup 10.11", "10.11.6-MariaDB"), "zstd",
                BackupSetManifest.Encryption.NONE, List.of(new StoredArtifact.StoredFile("data.xbstream.zst", 10,
                "0".repeat(64), SetLayout.DATA, 20)));
    }

    /** A real storage whose deletes are recorded in order. */
    private static final class DeleteRecorder extends ForwardingStorage {
        private final List<String> deleted = new ArrayList<>();

        DeleteRecorder(BackupStorage storage) {
            super(storage);
        }

        @Override
        public void delete(String name) throws IOException {
            deleted.add(name);
            storage.delete(name);
        }

        @Override
        public void retire(String name) throws IOException {
            deleted.add("retire " + name);
            storage.retire(name);
        }
    }
}
