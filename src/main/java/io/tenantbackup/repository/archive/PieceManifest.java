package io.tenantbackup.repository.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.backup.UntrustedFields;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.crypto.WrappedKey;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code round_<R>/piece_<P>/manifest.json}: the binlog files a piece holds, in order, each complete (a rotated file,
 * byte-identical to the tenant's) and stored through the {@link ArtifactCodec} (zstd, then AES-GCM when the round is
 * encrypted). A file counts as archived only once it is listed here; the manifest is rewritten atomically after each
 * stored file. Sizes and SHA-256 are those of the stored bytes. {@code checkpoint} is the time up to which the round
 * is known complete while its tenant writes nothing more (null until the first idle probe of the piece): restore
 * windows run to it even when no event follows the last file. {@code encryption} (format version 2) is the round's:
 * every piece of a round carries the same wrapped data key; a clear round has none (format version 1).
 */
public record PieceManifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("tenant_id") long tenantId,
        @JsonProperty("tenant_name") String tenantName,
        @JsonProperty("round_id") long roundId,
        @JsonProperty("piece_id") long pieceId,
        @JsonProperty("start_time") String startTime,
        @JsonProperty("compression") String compression,
        @JsonProperty("encryption") Encryption encryption,
        @JsonProperty("files") List<ArchivedFile> files,
        @JsonProperty("checkpoint") String checkpoint) {

    public static final int CLEAR_FORMAT_VERSION = 1;
    public static final int ENCRYPTED_FORMAT_VERSION = 2;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** A piece of thousands of binlog files stays far below this. */
    private static final int MAX_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** How the files of an encrypted round are sealed: segmented AES-GCM under the round's wrapped data key. */
    public record Encryption(@JsonProperty("algorithm") String algorithm,
                             @JsonProperty("segment_size") int segmentSize,
                             @JsonProperty("data_key") WrappedKey dataKey) {

        void requireWellFormed() {
            if (!SegmentedAesGcm.ALGORITHM.equals(algorithm) || dataKey == null) {
                throw new IllegalArgumentException("encryption '" + algorithm + "' is not " + SegmentedAesGcm.ALGORITHM
                        + " with a data_key");
            }
            SegmentedAesGcm.requireSegmentSize(segmentSize);
            dataKey.requireWellFormed();
        }
    }

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

        /** What the archiver knows of a closed binlog file before it is stored. */
        public static ArchivedFile describing(String name, long binlogSize, String firstGtid, String lastGtid,
                                              String startGtidPos, String endGtidPos, Instant firstEventTime,
                                              Instant lastEventTime) {
            return new ArchivedFile(name, null, binlogSize, 0, null, firstGtid, lastGtid, startGtidPos, endGtidPos,
                    text(firstEventTime), text(lastEventTime));
        }

        ArchivedFile storedAs(String stored, StoredArtifact.StoredFile file) {
            return new ArchivedFile(name, stored, binlogSize, file.size(), file.sha256(), firstGtid, lastGtid,
                    startGtidPos, endGtidPos, firstEventTime, lastEventTime);
        }

        public Instant firstEvent() {
            return firstEventTime == null ? null : Instant.parse(firstEventTime);
        }

        public Instant lastEvent() {
            return lastEventTime == null ? null : Instant.parse(lastEventTime);
        }

        private static String text(Instant time) {
            return time == null ? null : time.toString();
        }
    }

    /**
     * Reads the manifest of piece {@code pieceId} of round {@code roundId}. The destination is untrusted: a manifest
     * whose names, positions, ids or key parameters are not what {@link ArchiveRoundWriter} writes fails with an
     * {@link IOException} naming it, before any of its names is joined to a path.
     */
    public static PieceManifest read(BackupStorage archive, long roundId, long pieceId) throws IOException {
        String name = ArchiveLayout.manifestPath(roundId, pieceId);
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
        int expectedVersion = encryption == null ? CLEAR_FORMAT_VERSION : ENCRYPTED_FORMAT_VERSION;
        if (formatVersion != expectedVersion || !ArtifactCodec.ZSTD.equals(compression)) {
            throw new IllegalArgumentException("format_version " + formatVersion + " / compression '" + compression
                    + "' instead of " + expectedVersion + " / " + ArtifactCodec.ZSTD
                    + (encryption == null ? " (no encryption)" : " (encrypted)"));
        }
        if (encryption != null) {
            encryption.requireWellFormed();
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
            String stored = storedName(name);
            if (!stored.equals(file.storedName())) {
                throw new IllegalArgumentException("the stored name of " + name + " must be " + stored);
            }
            UntrustedFields.require(SHA256, file.sha256(), "sha256 of " + name);
            for (String gtid : new String[] {file.firstGtid(), file.lastGtid(), file.startGtidPos(), file.endGtidPos()}) {
                UntrustedFields.require(UntrustedFields.GTID_POSITION, gtid == null ? "" : gtid, "GTID of " + name);
            }
            UntrustedFields.requireTime(file.firstEventTime(), "first_event_time of " + name, true);
            UntrustedFields.requireTime(file.lastEventTime(), "last_event_time of " + name, true);
        }
    }

    static PieceManifest open(long tenantId, String tenantName, long roundId, long pieceId, Instant startTime,
                              Encryption encryption) {
        return new PieceManifest(encryption == null ? CLEAR_FORMAT_VERSION : ENCRYPTED_FORMAT_VERSION, tenantId,
                tenantName, roundId, pieceId, startTime.toString(), ArtifactCodec.ZSTD, encryption, List.of(), null);
    }

    PieceManifest plus(ArchivedFile file) {
        List<ArchivedFile> more = new ArrayList<>(files);
        more.add(file);
        return new PieceManifest(formatVersion, tenantId, tenantName, roundId, pieceId, startTime, compression,
                encryption, List.copyOf(more), checkpoint);
    }

    PieceManifest completeUpTo(Instant time) {
        return new PieceManifest(formatVersion, tenantId, tenantName, roundId, pieceId, startTime, compression,
                encryption, files, time.toString());
    }

    public boolean encrypted() {
        return encryption != null;
    }

    public ArchivedFile lastFile() {
        return files.get(files.size() - 1);
    }

    /** {@code mysql-bin.000003} → {@code mysql-bin.000003.zst}, or {@code .zst.enc} in an encrypted round. */
    String storedName(String binlogName) {
        return ArtifactCodec.storedName(binlogName, ArtifactCodec.ZSTD, encrypted());
    }

    /** The path of {@code file}'s stored bytes below the archive destination. */
    public String storedPath(ArchivedFile file) {
        return ArchiveLayout.pieceDirectory(roundId, pieceId) + "/" + file.storedName();
    }

    /** Where the stored bytes of {@code file} are, as the codec checks them. */
    StoredArtifact.StoredFile stored(ArchivedFile file) {
        return new StoredArtifact.StoredFile(storedPath(file), file.size(), file.sha256(),
                ArchiveLayout.pieceDirectory(roundId, pieceId) + "/" + file.name(), file.binlogSize());
    }
}
