package io.tenantbackup.archive;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code round_<R>/piece_<P>/manifest.json}: the binlog files a piece holds, in order, each complete (a rotated file,
 * byte-identical to the tenant's) and stored zstd-compressed. A file counts as archived only once it is listed here;
 * the manifest is rewritten atomically after each stored file. Sizes and SHA-256 are those of the stored bytes.
 * {@code checkpoint} is the time up to which the round is known complete while its tenant writes nothing more (null
 * until the first idle probe of the piece): restore windows run to it even when no event follows the last file.
 */
public record PieceManifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("tenant_id") long tenantId,
        @JsonProperty("tenant_name") String tenantName,
        @JsonProperty("round_id") long roundId,
        @JsonProperty("piece_id") long pieceId,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("compression") String compression,
        @JsonProperty("files") List<ArchivedFile> files,
        @JsonProperty("checkpoint") String checkpoint) {

    public static final int FORMAT_VERSION = 1;
    public static final String COMPRESSION = "zstd";

    public record ArchivedFile(
            @JsonProperty("name") String name,
            @JsonProperty("stored_name") String storedName,
            @JsonProperty("binlog_size") long binlogSize,
            @JsonProperty("size") long size,
            @JsonProperty("sha256") String sha256,
            @JsonProperty("first_gtid") String firstGtid,
            @JsonProperty("last_gtid") String lastGtid,
            @JsonProperty("start_gtid_pos") String startGtidPos,
            @JsonProperty("end_gtid_pos") String endGtidPos,
            @JsonProperty("first_event_time") String firstEventTime,
            @JsonProperty("last_event_time") String lastEventTime) {
    }

    static PieceManifest open(long tenantId, String tenantName, long roundId, long pieceId, Instant startTime) {
        return new PieceManifest(FORMAT_VERSION, tenantId, tenantName, roundId, pieceId, startTime.toString(),
                COMPRESSION, List.of(), null);
    }

    PieceManifest plus(ArchivedFile file) {
        List<ArchivedFile> more = new ArrayList<>(files);
        more.add(file);
        return new PieceManifest(formatVersion, tenantId, tenantName, roundId, pieceId, startTime, compression,
                List.copyOf(more), checkpoint);
    }

    PieceManifest completeUpTo(Instant time) {
        return new PieceManifest(formatVersion, tenantId, tenantName, roundId, pieceId, startTime, compression, files,
                time.toString());
    }

    ArchivedFile lastFile() {
        return files.get(files.size() - 1);
    }

    boolean lists(String binlogName) {
        return files.stream().anyMatch(file -> file.name().equals(binlogName));
    }

    static String directory(long roundId, long pieceId) {
        return roundDirectory(roundId) + "/piece_" + pieceId;
    }

    static String roundDirectory(long roundId) {
        return "round_" + roundId;
    }
}
