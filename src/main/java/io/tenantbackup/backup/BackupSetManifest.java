package io.tenantbackup.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tenantbackup.crypto.PasswordKdf;

import java.util.List;

/**
 * {@code manifest.json} of a backup set: the set is valid only when this file exists and every file it lists has the
 * listed size and SHA-256 (of the stored, i.e. compressed and encrypted, bytes). Restore and verify read this, not
 * the catalog. File names are relative to the set dir. An incremental names its parent (a sibling directory in the
 * same data destination) and the full at the root of its chain.
 */
public record BackupSetManifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("backup_set_id") long backupSetId,
        @JsonProperty("tenant_id") long tenantId,
        @JsonProperty("tenant_name") String tenantName,
        @JsonProperty("backup_type") String backupType,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("end_time") String endTime,
        @JsonProperty("from_lsn") long fromLsn,
        @JsonProperty("to_lsn") long toLsn,
        @JsonProperty("last_lsn") long lastLsn,
        @JsonProperty("binlog_file") String binlogFile,
        @JsonProperty("binlog_position") Long binlogPosition,
        @JsonProperty("gtid") String gtid,
        @JsonProperty("parent") Parent parent,
        @JsonProperty("chain_root_backup_set_id") long chainRootBackupSetId,
        @JsonProperty("self_contained") boolean selfContained,
        @JsonProperty("binlog") BinlogRange binlog,
        @JsonProperty("tool_versions") ToolVersions toolVersions,
        @JsonProperty("compression") String compression,
        @JsonProperty("encryption") Encryption encryption,
        @JsonProperty("files") List<StoredArtifact.StoredFile> files) {

    public static final int FORMAT_VERSION = 2;

    public record ToolVersions(@JsonProperty("mariabackup") String mariabackup, @JsonProperty("server") String server) {
    }

    /** The set an incremental was taken against: {@code --incremental-lsn} was its {@code to_lsn}. */
    public record Parent(@JsonProperty("backup_set_id") long backupSetId, @JsonProperty("directory") String directory,
                         @JsonProperty("to_lsn") long toLsn) {
    }

    /**
     * The binlog a {@code plus_archive} set carries: the files from the one current at the start of the backup
     * through the one holding its consistent point (closed by FLUSH BINARY LOGS). {@code files} are the sources
     * {@code binlog/<file>}, in order; {@link #file(String)} gives each one's stored entry.
     */
    public record BinlogRange(@JsonProperty("start_file") String startFile,
                              @JsonProperty("start_position") long startPosition,
                              @JsonProperty("start_gtid") String startGtid,
                              @JsonProperty("end_file") String endFile,
                              @JsonProperty("end_position") long endPosition,
                              @JsonProperty("end_gtid") String endGtid,
                              @JsonProperty("files") List<String> files) {
    }

    /** {@code none}, or the streaming AEAD with the set's KDF parameters and key-check value (never the key). */
    public record Encryption(@JsonProperty("algorithm") String algorithm, @JsonProperty("kdf") PasswordKdf kdf,
                             @JsonProperty("key_check") String keyCheck,
                             @JsonProperty("segment_size") int segmentSize) {

        public static final Encryption NONE = new Encryption(ArtifactCodec.NONE, null, null, 0);

        public boolean encrypted() {
            return !ArtifactCodec.NONE.equals(algorithm);
        }
    }

    /** The entry of the mariabackup stream, the bulk of a set. */
    public StoredArtifact.StoredFile dataFile() {
        return file(BackupSetFiles.DATA);
    }

    /** The entry for {@code source} (e.g. {@code data.xbstream}), whatever its stored name. */
    public StoredArtifact.StoredFile file(String source) {
        return files.stream().filter(file -> file.source().equals(source)).findFirst().orElseThrow(() ->
                new IllegalStateException("Backup set " + backupSetId + " lists no " + source));
    }
}
