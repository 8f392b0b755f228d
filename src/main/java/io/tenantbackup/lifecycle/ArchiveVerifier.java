package io.tenantbackup.lifecycle;

import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.repository.archive.ArchiveLayout;
import io.tenantbackup.repository.archive.ArchiveReader;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.restore.Gtids;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.StorageNotFoundException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Re-reads a tenant's archived binlog: every file of every piece through {@link ArchiveReader#verify} (stored size
 * and SHA-256; decoded to its binlog size when the round is clear or one of the given passwords is its passphrase,
 * else its stored bytes only), then the GTID continuity from the oldest backup set's consistent point on: every range
 * of seq_no that no archived file holds is named, with the files (or the backup set) on either side.
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
     * @param passwords       candidates for the passphrases of encrypted rounds
     * @param oldestSet       directory name of the oldest backup set, for messages; null when there is none
     * @param oldestSetSeq    its consistent point's seq_no: the archive must continue from there
     * @param newestSetSeq    the newest set's seq_no: the archive must reach at least there
     */
    static Verdict verify(BackupStorage archive, String tenantName, List<char[]> passwords, String oldestSet,
                          long oldestSetSeq, long newestSetSeq) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Archived> files = new ArrayList<>();
        List<PieceManifest> pieces = ArchiveLayout.pieces(archive).stream()
                .filter(piece -> tenantName.equals(piece.tenantName())).toList();
        Map<Long, char[]> passphrases = new HashMap<>();
        int storedOnly = 0;
        try {
            for (PieceManifest piece : pieces) {
                if (piece.encrypted() && !passphrases.containsKey(piece.roundId())) {
                    passphrases.put(piece.roundId(), passphrase(archive, piece, passwords));
                }
                char[] passphrase = passphrases.get(piece.roundId());
                for (PieceManifest.ArchivedFile file : piece.files()) {
                    Archived archived = new Archived(piece.storedPath(file), file);
                    files.add(archived);
                    try {
                        storedOnly += ArchiveReader.verify(archive, piece, file, passphrase) ? 0 : 1;
                    } catch (StorageNotFoundException e) {
                        problems.add(archived.path() + " is missing");
                    } catch (IOException e) {
                        problems.add(archived.path() + ": " + e.getMessage());
                    }
                }
            }
        } finally {
            passphrases.values().stream().filter(Objects::nonNull).forEach(p -> Arrays.fill(p, '\0'));
        }
        if (oldestSet != null) {
            problems.addAll(gaps(files, oldestSet, oldestSetSeq, newestSetSeq));
        }
        if (!problems.isEmpty()) {
            return Verdict.invalid(String.join("; ", problems));
        }
        return Verdict.valid(files.size() + " archived file(s) in " + pieces.size() + " piece(s) match their size and"
                + " SHA-256 and " + (storedOnly == 0 ? "decode"
                : "decode, except " + storedOnly + " encrypted file(s) checked on their stored bytes only (no"
                + " decryption password given opens their round)")
                + (oldestSet == null ? "" : "; GTID-contiguous from " + oldestSet));
    }

    /** The given password that opens the piece's round, or null when none does (its files are checked as stored). */
    private static char[] passphrase(BackupStorage archive, PieceManifest piece, List<char[]> passwords) {
        try {
            return ArchiveReader.passphrases(archive, List.of(piece), passwords.stream().map(String::new).toList())
                    .get(piece.roundId());
        } catch (WrongPasswordException none) {
            return null;
        }
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
}
