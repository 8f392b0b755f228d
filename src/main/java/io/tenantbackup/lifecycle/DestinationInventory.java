package io.tenantbackup.lifecycle;

import io.tenantbackup.archive.PieceManifest;
import io.tenantbackup.backup.BackupSetManifest;
import io.tenantbackup.backup.BackupSetReader;
import io.tenantbackup.restore.Gtids;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a tenant's destinations hold, as plain values for {@link ExpiryPlanner}: its backup sets as their manifests
 * describe them, its archive pieces, and the set directories left without a manifest. Reads only manifests.
 */
record DestinationInventory(List<ExpiryPlanner.StoredSet> sets, List<ExpiryPlanner.StoredPiece> pieces,
                            List<String> leftovers) {

    /**
     * @param archive   the archive destination, or null when the tenant has none
     * @param abandoned whether a set id without a manifest is the tenant's and no backup writes it any more (the
     *                  catalog decides: a running backup's directory has no manifest yet)
     */
    static DestinationInventory read(BackupStorage data, BackupStorage archive, String tenantName,
                                     LongPredicate abandoned) throws IOException {
        List<ExpiryPlanner.StoredSet> sets = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        for (BackupStorage.Entry entry : data.list("")) {
            Matcher directory = BackupSetManifest.DIRECTORY.matcher(entry.name());
            if (!entry.directory() || !directory.matches()) {
                continue;
            }
            long id = Long.parseLong(directory.group(1));
            if (data.size(entry.name() + "/" + BackupSetManifest.MANIFEST_NAME).isEmpty()) {
                if (abandoned.test(id)) {
                    leftovers.add(entry.name());
                }
                continue;
            }
            BackupSetManifest manifest = BackupSetReader.readManifest(Storages.open(data.uri().resolve(entry.name())));
            if (tenantName.equals(manifest.tenantName())) {
                sets.add(new ExpiryPlanner.StoredSet(id, entry.name(),
                        manifest.parent() == null ? null : manifest.parent().backupSetId(),
                        Instant.parse(manifest.endTime()), Gtids.seqNo(manifest.gtid())));
            }
        }
        return new DestinationInventory(sets, archive == null ? List.of() : pieces(archive, tenantName), leftovers);
    }

    private static List<ExpiryPlanner.StoredPiece> pieces(BackupStorage archive, String tenantName) throws IOException {
        List<ExpiryPlanner.StoredPiece> pieces = new ArrayList<>();
        for (long round : numbered(archive, "", PieceManifest.ROUND_DIRECTORY)) {
            String roundDirectory = "round_" + round;
            for (long piece : numbered(archive, roundDirectory, PieceManifest.PIECE_DIRECTORY)) {
                String directory = PieceManifest.directory(round, piece);
                if (archive.size(directory + "/" + PieceManifest.MANIFEST_NAME).isEmpty()) {
                    continue;
                }
                PieceManifest manifest = PieceManifest.read(archive, round, piece);
                if (tenantName.equals(manifest.tenantName())) {
                    long endSeq = manifest.files().stream().mapToLong(file -> Gtids.seqNo(file.endGtidPos()))
                            .max().orElse(0);
                    pieces.add(new ExpiryPlanner.StoredPiece(round, piece, directory, endSeq));
                }
            }
        }
        return pieces;
    }

    /** The numbers n of the sub-directories {@code <prefix>_<n>} of a directory, ascending. */
    static List<Long> numbered(BackupStorage storage, String directory, Pattern name)
            throws IOException {
        return storage.list(directory).stream().filter(BackupStorage.Entry::directory)
                .map(entry -> name.matcher(entry.name())).filter(Matcher::matches)
                .map(match -> Long.parseLong(match.group(1))).sorted(Comparator.naturalOrder()).toList();
    }
}
