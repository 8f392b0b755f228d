package io.tenantbackup.restore;

import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.repository.archive.ArchiveReader;
import io.tenantbackup.repository.backupset.BackupChain;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a restore can check before its DAG exists: the chain up to the point, every manifest, a password that
 * opens every encrypted set, and the free disk. Each problem is a 400 that says what is missing.
 */
final class RestorePlanner {

    /** Room for InnoDB's redo resizing and the prepare's temporary files, besides the extracted streams. */
    private static final double DISK_MARGIN = 1.1;

    private RestorePlanner() {
    }

    /** The chain to restore, full first. */
    static List<StoredSet> chain(BackupStorage destination, RestorePoint point) {
        try {
            List<StoredSet> sets = BackupSets.in(destination).list();
            if (sets.isEmpty()) {
                throw RestoreErrors.NO_BACKUP.exception("No backup set (no backup_set_*/manifest.json) in "
                        + destination.uri());
            }
            List<StoredSet> chain = BackupChain.endingAt(sets, point::admits);
            if (chain.isEmpty()) {
                throw RestoreErrors.POINT_NOT_RESTORABLE.exception("No backup set in " + destination.uri()
                        + " is at or before " + point + "; the oldest ends at "
                        + sets.get(0).manifest().endTime() + " (GTID " + sets.get(0).manifest().gtid() + ")");
            }
            return chain;
        } catch (IOException e) {
            throw RestoreErrors.UNREADABLE_BACKUP.exception("Cannot read the backup sets of " + destination.uri()
                    + ": " + e.getMessage());
        }
    }

    /**
     * For each encrypted set, its key, derived from the first password whose key check matches (the caller owns the
     * keys: kept, they spare "Start restore" a second Argon2id run per set). None for a set is a 400 naming the set;
     * the passwords never appear in a message.
     */
    static Map<Long, MasterKey> keys(BackupStorage destination, List<StoredSet> chain, List<String> candidates) {
        Map<Long, MasterKey> bySet = new HashMap<>();
        for (StoredSet set : chain) {
            if (!set.manifest().encryption().encrypted()) {
                continue;
            }
            MasterKey key = firstOpening(destination, set, candidates);
            if (key == null) {
                bySet.values().forEach(MasterKey::close);
                throw RestoreErrors.DECRYPTION_FAILED.exception("Backup set " + set.id() + " ("
                        + BackupSets.in(destination).uri(set.directory()) + ") is encrypted and "
                        + (candidates.isEmpty() ? "no decryption password was given"
                        : "none of the " + candidates.size() + " decryption password(s) opens it"));
            }
            bySet.put(set.id(), key);
        }
        return bySet;
    }

    /** Refuses when the filesystem of {@code dataDir} has less room than the extracted chain needs. */
    static void requireDisk(Path dataDir, List<StoredSet> chain, String tenant) {
        long needed = (long) (chain.stream().flatMap(set -> set.manifest().files().stream())
                .mapToLong(file -> file.sourceSize()).sum() * DISK_MARGIN);
        long usable;
        try {
            Files.createDirectories(dataDir);
            usable = Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            throw RestoreErrors.DISK_NOT_ENOUGH.exception("Cannot measure the free space of " + dataDir + ": "
                    + e.getMessage());
        }
        if (usable < needed) {
            throw RestoreErrors.DISK_NOT_ENOUGH.exception("Restoring tenant '" + tenant + "' needs " + needed
                    + " bytes on the filesystem of " + dataDir + " (extracted chain of " + chain.size()
                    + " set(s), moved back without a copy) but only " + usable + " are free");
        }
    }

    /**
     * For a point past the last set: the archived binlog must cover it, from the set's GTID, without a gap. Returns
     * the archived files to replay.
     */
    static List<ArchivedBinlog.File> requireArchive(BackupStorage archive, StoredSet last, RestorePoint point) {
        if (point.scn() != null && Gtids.first(last.manifest().gtid()).isEmpty()) {
            throw RestoreErrors.POINT_NOT_RESTORABLE.exception("Backup set " + last.id()
                    + " has no GTID position, so an scn cannot be reached from it; restore to a timestamp");
        }
        try {
            List<ArchivedBinlog.File> files = ArchivedBinlog.read(archive, last.manifest().tenantName())
                    .replayFrom(last.manifest().gtid(), point);
            requireStored(archive, files);
            return files;
        } catch (IOException e) {
            throw RestoreErrors.POINT_NOT_RESTORABLE.exception("Cannot restore tenant " + last.manifest().tenantName()
                    + " to " + point + " from backup set " + last.id() + " with the archive " + archive.uri() + ": "
                    + e.getMessage());
        }
    }

    /**
     * A file its piece manifest lists but the archive no longer holds (or holds with another size) is a gap too: the
     * replay would stop there.
     */
    private static void requireStored(BackupStorage archive, List<ArchivedBinlog.File> files) throws IOException {
        for (ArchivedBinlog.File file : files) {
            Optional<Long> size = archive.size(file.piece().storedPath(file.entry()));
            if (size.isEmpty() || size.get() != file.entry().size()) {
                throw new IOException("gap in the archived binlog: " + archive.uri().resolve(file.piece().storedPath(file.entry()))
                        + " (GTID seq_no " + file.startSeq() + " to " + file.endSeq() + ") is listed in its piece"
                        + " manifest but " + (size.isEmpty() ? "missing" : "is " + size.get() + " bytes, not "
                        + file.entry().size()));
            }
        }
    }

    /**
     * Where a restore without a point ends: the end of the newest set's restore window (the same decision as
     * {@link RestoreWindows}), or the chain's end when no archived binlog continues it; the note says which and why.
     */
    static NewestPoint newest(BackupStorage archive, StoredSet last) {
        String setEnd = "backup set " + last.id() + " (consistent at " + last.manifest().endTime() + ", GTID '"
                + last.manifest().gtid() + "')";
        if (Gtids.first(last.manifest().gtid()).isEmpty()) {
            return NewestPoint.chainEnd(last, "the newest restorable point is the end of the backup chain, " + setEnd
                    + ": the set has no GTID position, so no archived binlog can continue it");
        }
        RestoreWindows.Reach reach;
        try {
            reach = RestoreWindows.reach(last, ArchivedBinlog.read(archive, last.manifest().tenantName()));
        } catch (IOException e) {
            return NewestPoint.chainEnd(last, "the newest restorable point is the end of the backup chain, " + setEnd
                    + ": the archive " + archive.uri() + " cannot be read: " + e.getMessage());
        }
        if (reach.run().files().isEmpty()) {
            return new NewestPoint(reach.endSeq(), reach.window().end(), List.of(), "the newest restorable point is the end of the backup chain, " + setEnd
                    + ", restorable up to " + reach.window().end() + " with the archive " + archive.uri()
                    + "; no archived binlog is replayed: " + reach.run().endReason());
        }
        List<ArchivedBinlog.File> files = reach.run().files();
        return new NewestPoint(reach.endSeq(), reach.window().end(), files, "the newest restorable point is " + setEnd
                + " plus the archived binlog of " + archive.uri() + " from " + files.get(0).entry().name() + " to "
                + files.get(files.size() - 1).entry().name() + " (GTID seq_no " + reach.endSeq()
                + "), restorable up to " + reach.window().end() + "; it ends there because "
                + reach.run().endReason());
    }

    /**
     * The newest point: the GTID seq_no to replay to (that of the set when nothing is replayed), when, the archived
     * files replayed to get there, and why.
     */
    record NewestPoint(long scn, Instant time, List<ArchivedBinlog.File> files, String note) {
        static NewestPoint chainEnd(StoredSet last, String note) {
            return new NewestPoint(Gtids.seqNo(last.manifest().gtid()), Instant.parse(last.manifest().endTime()),
                    List.of(), note);
        }
    }

    /**
     * For each encrypted archive round the replay reads, the candidate that opens it (copies the caller owns). None
     * for a round is a 400 that says the archived binlog is encrypted and names the round.
     */
    static Map<Long, char[]> archivePassphrases(BackupStorage archive, List<ArchivedBinlog.File> files,
                                                List<String> candidates) {
        try {
            return ArchiveReader.passphrases(archive, ArchivedBinlog.pieces(files), candidates);
        } catch (WrongPasswordException e) {
            throw RestoreErrors.DECRYPTION_FAILED.exception(e.getMessage());
        }
    }

    /** The key of the first candidate whose key check matches; null when none does. */
    private static MasterKey firstOpening(BackupStorage destination, StoredSet set, List<String> candidates) {
        BackupSets sets = BackupSets.in(destination);
        for (String candidate : candidates) {
            char[] password = candidate.toCharArray();
            try {
                return sets.key(set, password);
            } catch (WrongPasswordException e) {
                // the next candidate
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        return null;
    }
}
