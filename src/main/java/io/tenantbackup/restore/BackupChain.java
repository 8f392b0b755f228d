package io.tenantbackup.restore;

import io.tenantbackup.backup.BackupSetManifest;
import io.tenantbackup.backup.BackupSetReader;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup sets of a data destination, as their manifests describe them (the destination, not the catalog, is the
 * source of truth), and the chain a restore to a point uses: the newest set whose consistent point is at or before
 * the point, preceded by its parents back to its full, oldest first.
 */
final class BackupChain {

    static final String MANIFEST = "manifest.json";

    /** One set: its directory below the destination and its manifest. */
    record Link(String directory, BackupSetManifest manifest) {
        long id() {
            return manifest.backupSetId();
        }
    }

    private final List<Link> sets;

    private BackupChain(List<Link> sets) {
        this.sets = sets;
    }

    /** Reads every set's manifest; an unreadable one fails with the file named. */
    static BackupChain read(BackupStorage destination) throws IOException {
        List<Link> sets = new ArrayList<>();
        for (BackupStorage.Entry entry : destination.list("")) {
            if (entry.directory() && entry.name().startsWith("backup_set_")
                    && destination.size(entry.name() + "/" + MANIFEST).isPresent()) {
                BackupSetManifest manifest = BackupSetReader.readManifest(setDir(destination, entry.name()));
                sets.add(new Link(entry.name(), manifest));
            }
        }
        sets.sort(Comparator.comparingLong(Link::id));
        return new BackupChain(List.copyOf(sets));
    }

    static BackupStorage setDir(BackupStorage destination, String directory) {
        return Storages.open(destination.uri().resolve(directory));
    }

    List<Link> all() {
        return sets;
    }

    /** The sets to restore, full first; empty when no set is at or before {@code point}. */
    List<Link> upTo(RestorePoint point) throws IOException {
        Optional<Link> newest = sets.stream().filter(set -> point.admits(set.manifest()))
                .max(Comparator.comparingLong(Link::id));
        if (newest.isEmpty()) {
            return List.of();
        }
        Map<Long, Link> byId = new HashMap<>();
        sets.forEach(set -> byId.put(set.id(), set));
        List<Link> chain = new ArrayList<>();
        Link current = newest.get();
        while (true) {
            chain.add(0, current);
            BackupSetManifest.Parent parent = current.manifest().parent();
            if (parent == null) {
                return chain;
            }
            current = byId.get(parent.backupSetId());
            if (current == null) {
                throw new IOException("Backup set " + chain.get(0).id() + " is an incremental of backup set "
                        + parent.backupSetId() + " (" + parent.directory() + "), which has no manifest in the destination");
            }
        }
    }
}
