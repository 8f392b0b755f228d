package io.tenantbackup.repository.backupset;

import io.tenantbackup.backup.UntrustedFields;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a backup set lives below its data destination; no other class names these paths:
 * <pre>
 * &lt;data destination&gt;/backup_set_&lt;id&gt;_full/   (or _inc for an incremental)
 *     data.xbstream[.zst][.enc]           mariabackup's stream
 *     xtrabackup_checkpoints[.zst][.enc]  its LSNs
 *     xtrabackup_info[.zst][.enc]
 *     binlog/&lt;file&gt;[.zst][.enc]          plus_archive: the binlog the set carries
 *     manifest.json                       written last, read first: a directory without it is no backup set
 * </pre>
 * Each file is stored under its source name plus the codec's suffixes, as the manifest lists it.
 */
public final class SetLayout {

    /** Source name of the mariabackup stream, the bulk of a set. */
    public static final String DATA = "data.xbstream";
    /** Source name of mariabackup's LSN file (also its name in {@code --extra-lsndir}). */
    public static final String CHECKPOINTS = "xtrabackup_checkpoints";
    public static final String INFO = "xtrabackup_info";
    /** Prefix of the source names of the binlog files a plus_archive set carries. */
    public static final String BINLOG_DIR = "binlog/";
    public static final String MANIFEST = "manifest.json";

    private static final Pattern DIRECTORY = Pattern.compile("backup_set_(\\d{1,18})_(full|inc)");

    private SetLayout() {
    }

    /** {@code backup_set_<id>_full} or {@code backup_set_<id>_inc}. */
    public static String directoryName(long backupSetId, boolean incremental) {
        return "backup_set_" + backupSetId + (incremental ? "_inc" : "_full");
    }

    /** The set id {@code directory} is named for; empty when it is not named as a set's directory. */
    static OptionalLong idOf(String directory) {
        Matcher matcher = DIRECTORY.matcher(String.valueOf(directory));
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /** {@code directory} if it is named as a set's directory (it becomes a path); else an {@link IllegalArgumentException}. */
    static String requireDirectory(String directory, String field) {
        return UntrustedFields.require(DIRECTORY, directory, field);
    }

    static String manifestOf(String directory) {
        return directory + "/" + MANIFEST;
    }
}
