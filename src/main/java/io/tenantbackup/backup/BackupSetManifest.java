package io.tenantbackup.backup;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code manifest.json} of a backup set: the set is valid only when this file exists and every file it lists has the
 * listed size and SHA-256. Restore and verify read this, not the catalog. File names are relative to the set dir.
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
        @JsonProperty("tool_versions") ToolVersions toolVersions,
        @JsonProperty("compression") String compression,
        @JsonProperty("encryption") String encryption,
        @JsonProperty("files") List<FileEntry> files) {

    public static final int FORMAT_VERSION = 1;

    public record ToolVersions(@JsonProperty("mariabackup") String mariabackup, @JsonProperty("server") String server) {
    }

    public record FileEntry(@JsonProperty("name") String name, @JsonProperty("size") long size,
                            @JsonProperty("sha256") String sha256) {
    }
}
