package io.tenantbackup.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The tenant's binlog files ({@code mysql-bin.000001}, ...) between two of them, in order. */
final class BinlogFiles {

    private static final Pattern NUMBERED = Pattern.compile("mysql-bin\\.\\d{6,}");

    private BinlogFiles() {
    }

    /** Files from {@code first} through {@code last}, both included; names compare in order because of the padding. */
    static List<String> between(Path binlogDir, String first, String last) throws IOException {
        try (Stream<Path> files = Files.list(binlogDir)) {
            List<String> range = files.map(path -> path.getFileName().toString())
                    .filter(name -> NUMBERED.matcher(name).matches())
                    .filter(name -> name.compareTo(first) >= 0 && name.compareTo(last) <= 0)
                    .sorted()
                    .toList();
            if (range.isEmpty() || !range.get(0).equals(first) || !range.get(range.size() - 1).equals(last)) {
                throw new IOException("The binlog of " + binlogDir + " no longer holds " + first + " .. " + last
                        + " (found " + range + "); was it purged during the backup?");
            }
            return range;
        }
    }
}
