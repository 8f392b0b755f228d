package io.tenantbackup.lifecycle;

import com.github.luben.zstd.ZstdInputStream;
import io.tenantbackup.archive.PieceManifest;
import io.tenantbackup.backup.StoredArtifact;
import io.tenantbackup.restore.Gtids;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.StorageNotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Re-reads a tenant's archived binlog: every file of every piece against its manifest entry (stored size and SHA-256,
 * decompressed size), then the GTID continuity from the oldest backup set's consistent point on: every range of
 * seq_no that no archived file holds is named, with the files (or the backup set) on either side.
 */
final class ArchiveVerifier {

    /** One archived file as its piece lists it, with where it is stored. */
    record Archived(String path, PieceManifest.ArchivedFile entry) {
        long startSeq() {
            return Gtids.seqNo(entry.startGtidPos());
        }

        long endSeq() {
            return Gtids.seqNo(entry.endGtidPos());
        }
    }

    private ArchiveVerifier() {
    }

    /**
     * @param oldestSet       directory name of the oldest backup set, for messages; null when there is none
     * @param oldestSetSeq    its consistent point's seq_no: the archive must continue from there
     * @param newestSetSeq    the newest set's seq_no: the archive must reach at least there
     */
    static Verdict verify(BackupStorage archive, String tenantName, String oldestSet, long oldestSetSeq,
                          long newestSetSeq) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Archived> files = new ArrayList<>();
        int pieces = 0;
        for (long round : DestinationInventory.numbered(archive, "", PieceManifest.ROUND_DIRECTORY)) {
            for (long piece : DestinationInventory.numbered(archive, "round_" + round, PieceManifest.PIECE_DIRECTORY)) {
                String directory = PieceManifest.directory(round, piece);
                if (archive.size(directory + "/" + PieceManifest.MANIFEST_NAME).isEmpty()) {
                    continue;
                }
                PieceManifest manifest = PieceManifest.read(archive, round, piece);
                if (!tenantName.equals(manifest.tenantName())) {
                    continue;
                }
                pieces++;
                for (PieceManifest.ArchivedFile file : manifest.files()) {
                    Archived archived = new Archived(directory + "/" + file.storedName(), file);
                    files.add(archived);
                    check(archive, archived).ifPresent(problems::add);
                }
            }
        }
        if (oldestSet != null) {
            problems.addAll(gaps(files, oldestSet, oldestSetSeq, newestSetSeq));
        }
        if (!problems.isEmpty()) {
            return Verdict.invalid(String.join("; ", problems));
        }
        return Verdict.valid(files.size() + " archived file(s) in " + pieces + " piece(s) match their size and"
                + " SHA-256 and decompress" + (oldestSet == null ? "" : "; GTID-contiguous from " + oldestSet));
    }

    /** The GTID ranges after {@code fromSeq} (the oldest set's point) that no archived file holds. */
    static List<String> gaps(List<Archived> files, String oldestSet, long fromSeq, long mustReachSeq) {
        List<String> gaps = new ArrayList<>();
        List<Archived> ordered = files.stream().sorted(Comparator.comparingLong(Archived::startSeq)).toList();
        long reached = fromSeq;
        String before = oldestSet + " (consistent at seq_no " + fromSeq + ")";
        for (Archived file : ordered) {
            if (file.endSeq() <= reached) {
                continue;
            }
            if (file.startSeq() > reached) {
                gaps.add("GTID gap: seq_no " + (reached + 1) + ".." + file.startSeq() + " is not archived, between "
                        + before + " and " + file.path() + " (starts at seq_no " + file.startSeq() + ")");
            }
            reached = file.endSeq();
            before = file.path() + " (ends at seq_no " + reached + ")";
        }
        if (reached < mustReachSeq) {
            gaps.add("GTID gap: seq_no " + (reached + 1) + ".." + mustReachSeq + " is not archived after " + before
                    + ", up to the newest backup set");
        }
        return gaps;
    }

    private static Optional<String> check(BackupStorage archive, Archived file) {
        MessageDigest digest = StoredArtifact.sha256();
        long stored;
        long decoded;
        try (InputStream raw = archive.open(file.path());
             CountingInput counted = new CountingInput(new DigestInputStream(raw, digest));
             ZstdInputStream zstd = new ZstdInputStream(counted)) {
            decoded = zstd.transferTo(OutputStream.nullOutputStream());
            stored = counted.count;
        } catch (StorageNotFoundException e) {
            return Optional.of(file.path() + " is missing");
        } catch (IOException e) {
            return Optional.of(file.path() + " cannot be read or decompressed: " + e.getMessage());
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (stored != file.entry().size() || !sha256.equals(file.entry().sha256())) {
            return Optional.of(file.path() + " has " + stored + " bytes with SHA-256 " + sha256
                    + ", its piece manifest lists " + file.entry().size() + " bytes with SHA-256 " + file.entry().sha256());
        }
        if (decoded != file.entry().binlogSize()) {
            return Optional.of(file.path() + " decompresses to " + decoded + " bytes, its piece manifest lists "
                    + file.entry().binlogSize());
        }
        return Optional.empty();
    }

    private static final class CountingInput extends java.io.FilterInputStream {
        private long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int read = super.read();
            count += read < 0 ? 0 : 1;
            return read;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int read = super.read(bytes, offset, length);
            count += Math.max(read, 0);
            return read;
        }
    }
}
