package io.tenantbackup.repository.backupset;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tenantbackup.backup.UntrustedFields;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.crypto.SegmentedAesGcm;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

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
    /** What a set holds: the mariabackup stream and its metadata at the top, binlog files below {@code binlog/}. */
    private static final Pattern SOURCE = Pattern.compile("(" + SetLayout.BINLOG_DIR + ")?"
            + UntrustedFields.FILE_NAME.pattern());

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

    /**
     * Refuses, naming the field, what this service never writes: a manifest is untrusted input, and its names become
     * paths, its KDF and segment parameters cost memory and time. Stored names must be exactly those the writer
     * derives from the sources.
     */
    void requireWellFormed() {
        UntrustedFields.require(UntrustedFields.TENANT_NAME, tenantName, "tenant_name");
        UntrustedFields.require(UntrustedFields.GTID_POSITION, gtid == null ? "" : gtid, "gtid");
        UntrustedFields.requireTime(startTime, "start_time", false);
        UntrustedFields.requireTime(endTime, "end_time", false);
        if (!ArtifactCodec.ZSTD.equals(compression) && !ArtifactCodec.NONE.equals(compression)) {
            throw new IllegalArgumentException("compression '" + compression + "' is neither " + ArtifactCodec.ZSTD
                    + " nor " + ArtifactCodec.NONE);
        }
        if (encryption == null) {
            throw new IllegalArgumentException("encryption is missing");
        }
        if (encryption.encrypted()) {
            if (!SegmentedAesGcm.ALGORITHM.equals(encryption.algorithm()) || encryption.kdf() == null
                    || encryption.keyCheck() == null) {
                throw new IllegalArgumentException("encryption '" + encryption.algorithm() + "' is not "
                        + SegmentedAesGcm.ALGORITHM + " with a kdf and a key_check");
            }
            encryption.kdf().requireWithinBounds();
            SegmentedAesGcm.requireSegmentSize(encryption.segmentSize());
        }
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("files is empty");
        }
        Set<String> sources = new HashSet<>();
        for (StoredArtifact.StoredFile file : files) {
            String source = UntrustedFields.require(SOURCE, file.source(), "source");
            String stored = ArtifactCodec.storedName(source, compression, encryption.encrypted());
            if (!stored.equals(file.name())) {
                throw new IllegalArgumentException("the stored name of " + source + " must be " + stored);
            }
            if (!sources.add(source)) {
                throw new IllegalArgumentException(source + " is listed twice");
            }
        }
        file(SetLayout.DATA);
        if (parent != null && SetLayout.idOf(SetLayout.requireDirectory(parent.directory(), "parent directory"))
                .getAsLong() != parent.backupSetId()) {
            throw new IllegalArgumentException("parent directory '" + parent.directory() + "' is not the directory"
                    + " of backup set " + parent.backupSetId());
        }
        if (binlog != null && (binlog.files() == null || !sources.containsAll(binlog.files()))) {
            throw new IllegalArgumentException("binlog lists files the set does not hold");
        }
    }

    /** The entry of the mariabackup stream, the bulk of a set. */
    public StoredArtifact.StoredFile dataFile() {
        return file(SetLayout.DATA);
    }

    /** The entry for {@code source} (e.g. {@code data.xbstream}), whatever its stored name. */
    public StoredArtifact.StoredFile file(String source) {
        return files.stream().filter(file -> file.source().equals(source)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Backup set " + backupSetId + " lists no " + source));
    }
}
