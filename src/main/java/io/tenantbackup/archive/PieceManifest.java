package io.tenantbackup.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.backup.UntrustedFields;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
    /** The directories of an archive destination: {@code round_<R>}, below it {@code piece_<P>}; group 1 the number. */
    public static final Pattern ROUND_DIRECTORY = Pattern.compile("round_(\\d{1,18})");
    public static final Pattern PIECE_DIRECTORY = Pattern.compile("piece_(\\d{1,18})");
    public static final String MANIFEST_NAME = "manifest.json";
    private static final String STORED_SUFFIX = ".zst";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** A piece of thousands of binlog files stays far below this. */
    private static final int MAX_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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

    /**
     * Reads the manifest of piece {@code pieceId} of round {@code roundId}. The destination is untrusted: a manifest
     * whose names, positions or ids are not what {@link ArchiveDestination} writes fails with an {@link IOException}
     * naming it, before any of its names is joined to a path.
     */
    public static PieceManifest read(BackupStorage archive, long roundId, long pieceId) throws IOException {
        String name = directory(roundId, pieceId) + "/" + MANIFEST_NAME;
        String where = archive.uri().resolve(name).toString();
        PieceManifest manifest;
        try (InputStream in = archive.open(name)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(where + " is larger than " + MAX_BYTES + " bytes");
            }
            manifest = JSON.readValue(bytes, PieceManifest.class);
        }
        try {
            manifest.requireWellFormed(roundId, pieceId);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " is not a piece manifest this service writes: " + e.getMessage());
        }
        return manifest;
    }

    private void requireWellFormed(long round, long piece) {
        if (formatVersion != FORMAT_VERSION || !COMPRESSION.equals(compression)) {
            throw new IllegalArgumentException("format_version " + formatVersion + " / compression '" + compression
                    + "' instead of " + FORMAT_VERSION + " / " + COMPRESSION);
        }
        if (roundId != round || pieceId != piece) {
            throw new IllegalArgumentException("it describes round " + roundId + " piece " + pieceId);
        }
        UntrustedFields.require(UntrustedFields.TENANT_NAME, tenantName, "tenant_name");
        UntrustedFields.requireTime(startTime, "start_time", false);
        UntrustedFields.requireTime(checkpoint, "checkpoint", true);
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("files is empty");
        }
        for (ArchivedFile file : files) {
            String name = UntrustedFields.require(UntrustedFields.BINLOG_FILE, file.name(), "file name");
            if (!(name + STORED_SUFFIX).equals(file.storedName())) {
                throw new IllegalArgumentException("the stored name of " + name + " must be " + name + STORED_SUFFIX);
            }
            UntrustedFields.require(SHA256, file.sha256(), "sha256 of " + name);
            for (String gtid : new String[] {file.firstGtid(), file.lastGtid(), file.startGtidPos(), file.endGtidPos()}) {
                UntrustedFields.require(UntrustedFields.GTID_POSITION, gtid == null ? "" : gtid, "GTID of " + name);
            }
            UntrustedFields.requireTime(file.firstEventTime(), "first_event_time of " + name, true);
            UntrustedFields.requireTime(file.lastEventTime(), "last_event_time of " + name, true);
        }
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

    static String storedName(String binlogName) {
        return binlogName + STORED_SUFFIX;
    }

    public static String directory(long roundId, long pieceId) {
        return roundDirectory(roundId) + "/piece_" + pieceId;
    }

    static String roundDirectory(long roundId) {
        return "round_" + roundId;
    }
}
