package io.tenantbackup.repository.backupset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The chain a restore applies, walked along the manifests' parent links: the newest set a point admits, preceded by
 * its parents back to its full. The links are untrusted input: a loop or an overlong chain is refused.
 */
public final class BackupChain {

    /** Longer chains are refused; restoring one would apply that many incrementals anyway. */
    public static final int MAX_LENGTH = 256;

    private BackupChain() {
    }

    /**
     * The sets to restore, full first, ending with the newest of {@code sets} that {@code admits}; empty when it
     * admits none. A parent missing from {@code sets}, a loop or a chain longer than {@link #MAX_LENGTH} fails.
     */
    public static List<StoredSet> endingAt(List<StoredSet> sets, Predicate<BackupSetManifest> admits)
            throws IOException {
        Optional<StoredSet> newest = sets.stream().filter(set -> admits.test(set.manifest()))
                .max(Comparator.comparingLong(StoredSet::id));
        if (newest.isEmpty()) {
            return List.of();
        }
        Map<Long, StoredSet> byId = new HashMap<>();
        sets.forEach(set -> byId.put(set.id(), set));
        List<StoredSet> chain = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        StoredSet current = newest.get();
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
