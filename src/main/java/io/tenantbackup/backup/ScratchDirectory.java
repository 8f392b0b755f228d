package io.tenantbackup.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The local directory mariabackup needs beside its stream of one set ({@code <data dir>/backup-tmp/backup_set_<id>}):
 * its target dir, and the lsn dir where it writes xtrabackup_checkpoints and the info files. A leftover of a crashed
 * run is removed first; closing removes it.
 */
final class ScratchDirectory implements AutoCloseable {

    private final Path root;

    private ScratchDirectory(Path root) {
        this.root = root;
    }

    static ScratchDirectory create(Path dataDir, long backupSetId) throws IOException {
        ScratchDirectory scratch = new ScratchDirectory(
                dataDir.resolve("backup-tmp").resolve("backup_set_" + backupSetId));
        scratch.delete();
        Files.createDirectories(scratch.lsnDir());
        return scratch;
    }

    /** mariabackup's {@code --target-dir}. */
    Path target() {
        return root.resolve("target");
    }

    /** mariabackup's {@code --extra-lsndir}. */
    Path lsnDir() {
        return root.resolve("lsn");
    }

    @Override
    public void close() throws IOException {
        delete();
    }

    private void delete() throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
