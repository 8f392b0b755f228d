package io.tenantbackup.restore;

import io.tenantbackup.backup.BackupSetManifest;
import io.tenantbackup.backup.BackupSetReader;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The backup sets of a data destination, as their manifests describe them (the destination, not the catalog, is the
 * source of truth), and the chain a restore to a point uses: the newest set whose consistent point is at or before
 * the point, preceded by its parents back to its full, oldest first.
 */
final class BackupChain {

    static final String MANIFEST = "manifest.json";
    /** Longer chains are refused; restoring one would apply that many incrementals anyway. */
    static final int MAX_LENGTH = 256;

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

    /**
     * Reads every set's manifest; an unreadable one, or one whose id is not its directory's, fails with the file
     * named. Only directories named as the service names them count.
     */
    static BackupChain read(BackupStorage destination) throws IOException {
        List<Link> sets = new ArrayList<>();
        Map<Long, String> directories = new HashMap<>();
        for (BackupStorage.Entry entry : destination.list("")) {
            Matcher directory = BackupSetManifest.DIRECTORY.matcher(entry.name());
            if (entry.directory() && directory.matches()
                    && destination.size(entry.name() + "/" + MANIFEST).isPresent()) {
                BackupSetManifest manifest = BackupSetReader.readManifest(setDir(destination, entry.name()));
                long id = Long.parseLong(directory.group(1));
                if (manifest.backupSetId() != id || directories.putIfAbsent(id, entry.name()) != null) {
                    throw new IOException(destination.uri().resolve(entry.name() + "/" + MANIFEST)
                            + " describes backup set " + manifest.backupSetId() + ", but its directory is "
                            + entry.name() + (directories.get(id).equals(entry.name()) ? "" : " and "
                            + directories.get(id)));
                }
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
        Set<Long> seen = new HashSet<>();
        Link current = newest.get();
        while (true) {
            if (!seen.add(current.id())) {
                throw new IOException("The chain of backup set " + newest.get().id() + " loops back to backup set "
                        + current.id() + " (" + current.directory() + "); its manifests were tampered with");
            }
            if (chain.size() == MAX_LENGTH) {
                throw new IOException("The chain of backup set " + newest.get().id() + " is longer than " + MAX_LENGTH
                        + " sets; take a new full backup");
            }
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
