package io.tenantbackup.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Vets an extracted backup set before mariabackup reads it: the set came from a destination, which whoever can write
 * there may have crafted. mariabackup follows paths found in the set: an {@code .isl} file names where its
 * tablespace goes on {@code --move-back}, and {@code backup-my.cnf} sets InnoDB's directories for {@code --prepare}.
 * So: only directories and regular files; every {@code .isl} must point inside the new datadir (a table created
 * with {@code DATA DIRECTORY} elsewhere is refused); no option of {@code backup-my.cnf} may name a path other than
 * the set's own directory.
 */
final class ExtractedSetCheck {

    static final String OPTIONS_FILE = "backup-my.cnf";
    private static final String LINK_SUFFIX = ".isl";
    /** Option values mariabackup writes: numbers, names, {@code ibdata1:12M:autoextend}, {@code ./}. */
    private static final Pattern SAFE_VALUE = Pattern.compile("(\\./)?[A-Za-z0-9_.:;,+-]*");

    private ExtractedSetCheck() {
    }

    /** Fails with an {@link IOException} naming the first offending file of {@code set}. */
    static void vet(Path set, Path dataDir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(set)) {
            files = walk.toList();
        }
        for (Path file : files) {
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(set, file, "it is not a regular file (a backup set holds only files and directories)");
            }
            String name = file.getFileName().toString();
            if (name.endsWith(LINK_SUFFIX)) {
                requireInside(set, file, dataDir);
            } else if (file.getParent().equals(set) && name.equals(OPTIONS_FILE)) {
                requireSafeOptions(set, file);
            }
        }
    }

    private static void requireInside(Path set, Path isl, Path dataDir) throws IOException {
        String target = Files.readString(isl, StandardCharsets.UTF_8).trim();
        Path resolved = dataDir.resolve(target).normalize();
        if (target.isEmpty() || target.contains("\0") || !resolved.startsWith(dataDir.normalize())) {
            throw refused(set, isl, "it places a tablespace at '" + target.replaceAll("\\p{Cntrl}", "?")
                    + "', outside the new datadir " + dataDir + " (tables with DATA DIRECTORY cannot be restored)");
        }
    }

    private static void requireSafeOptions(Path set, Path options) throws IOException {
        for (String line : Files.readAllLines(options, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("[")) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String value = equals < 0 ? "" : trimmed.substring(equals + 1).trim();
            if (trimmed.startsWith("!") || !SAFE_VALUE.matcher(value).matches() || value.contains("..")) {
                throw refused(set, options, "the line '" + trimmed.replaceAll("\\p{Cntrl}", "?") + "' names a path or"
                        + " an include; mariabackup writes only values relative to the set");
            }
        }
    }

    private static IOException refused(Path set, Path file, String why) {
        return new IOException("Refusing the extracted backup set: " + set.relativize(file) + " in " + set + ": "
                + why);
    }
}
