package io.tenantbackup.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A restore's scratch space, {@code <data dir>/.restore/<tenant>}: on the filesystem of the new datadir, so that
 * {@code --move-back} renames the prepared files instead of copying them.
 */
record RestoreStaging(Path root) {

    static RestoreStaging of(Path dataDir, String tenant) {
        return new RestoreStaging(dataDir.resolve(".restore").resolve(tenant));
    }

    /** Where the {@code index}-th set of the chain (0 = the full) is extracted. */
    Path set(int index) {
        return root.resolve("set_" + index);
    }

    Path binlog() {
        return root.resolve("binlog");
    }

    void remove() throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}
