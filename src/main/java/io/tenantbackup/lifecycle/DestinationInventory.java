package io.tenantbackup.lifecycle;

import io.tenantbackup.repository.archive.ArchiveLayout;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.restore.Gtids;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * What a tenant's destinations hold, as plain values for {@link ExpiryPlanner}: its backup sets as their manifests
 * describe them, its archive pieces, and the set directories left without a manifest. Reads only manifests, through
 * the formats' owners ({@link BackupSets}, {@link ArchiveLayout}).
 */
record DestinationInventory(List<ExpiryPlanner.StoredSet> sets, List<ExpiryPlanner.StoredPiece> pieces,
                            List<String> leftovers) {

    /**
     * @param archive   the archive destination, or null when the tenant has none
     * @param abandoned whether a set id without a manifest is the tenant's and no backup writes it any more (the
     *                  catalog decides: a running backup's directory has no manifest yet)
     */
    static DestinationInventory read(BackupSets data, BackupStorage archive, String tenantName,
                                     LongPredicate abandoned) throws IOException {
        List<ExpiryPlanner.StoredSet> sets = new ArrayList<>();
        for (StoredSet set : data.list()) {
            if (tenantName.equals(set.manifest().tenantName())) {
                sets.add(new ExpiryPlanner.StoredSet(set.id(), set.directory(),
                        set.manifest().parent() == null ? null : set.manifest().parent().backupSetId(),
                        Instant.parse(set.manifest().endTime()), Gtids.seqNo(set.manifest().gtid())));
            }
        }
        List<String> leftovers = new ArrayList<>();
        for (Map.Entry<Long, String> directory : data.withoutManifest().entrySet()) {
            if (abandoned.test(directory.getKey())) {
                leftovers.add(directory.getValue());
            }
        }
        return new DestinationInventory(sets, archive == null ? List.of() : pieces(archive, tenantName), leftovers);
    }

    private static List<ExpiryPlanner.StoredPiece> pieces(BackupStorage archive, String tenantName) throws IOException {
        List<ExpiryPlanner.StoredPiece> pieces = new ArrayList<>();
        for (PieceManifest manifest : ArchiveLayout.pieces(archive)) {
            if (tenantName.equals(manifest.tenantName())) {
                long endSeq = manifest.files().stream().mapToLong(file -> Gtids.seqNo(file.endGtidPos()))
                        .max().orElse(0);
                pieces.add(new ExpiryPlanner.StoredPiece(manifest.roundId(), manifest.pieceId(),
                        ArchiveLayout.pieceDirectory(manifest.roundId(), manifest.pieceId()), endSeq));
            }
        }
        return pieces;
    }
}
