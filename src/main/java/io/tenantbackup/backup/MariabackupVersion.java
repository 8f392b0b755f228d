package io.tenantbackup.backup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mariabackup's {@code --version} line for the manifest, asked once per binary instead of once per backup (a process
 * spawn, ~35 ms on the critical path before the stream starts). Keyed by the binary found on the PATH (as the
 * service runs it), its real path and modification time, so that a package upgrade in place is asked again.
 */
final class MariabackupVersion {

    private static final String BINARY = "mariabackup";
    private static final Map<Binary, String> KNOWN = new ConcurrentHashMap<>();

    private MariabackupVersion() {
    }

    static String current() throws IOException, InterruptedException {
        Optional<Binary> before = Binary.onPath();
        String known = before.map(KNOWN::get).orElse(null);
        if (known != null) {
            return known;
        }
        String version = MariabackupRun.version();
        if (before.isPresent() && before.equals(Binary.onPath())) {
            KNOWN.put(before.get(), version);
        }
        return version;
    }

    /** An executable file as found on the PATH, by real path and modification time. */
    private record Binary(Path realPath, FileTime modified) {

        static Optional<Binary> onPath() {
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            for (String directory : path.split(File.pathSeparator)) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory, BINARY);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    try {
                        Path real = candidate.toRealPath();
                        return Optional.of(new Binary(real, Files.getLastModifiedTime(real)));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }
    }
}
