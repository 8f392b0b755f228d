package io.tenantbackup.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, over plain values, what a recovery window lets go: the rules of {@code delete_policy}, free of storage so
 * that each rule is proven by a fast test.
 * <ul>
 * <li>Every point inside the window stays restorable: the newest restorable set whose consistent point is at or
 * before the window start (the "anchor") stays with its whole chain, and so does every set after the start with
 * the chain it needs. With no set at or before the start, nothing is deleted.</li>
 * <li>A full is never deleted while a kept incremental depends on it (kept sets keep their ancestors).</li>
 * <li>Deletions run dependents first, newest first (descending set id: a child is always newer than its parent),
 * so an interrupted expiry leaves only whole chains.</li>
 * <li>An incremental whose chain no longer reaches a full cannot be restored; it goes once it is before the
 * start.</li>
 * <li>Archive pieces whose files all end before the oldest kept set's consistent point go; nothing of the archive
 * goes while no set is kept, and the newest piece of the newest round stays (the archiver may still add to it).</li>
 * <li>A set directory without a manifest that no running backup owns is what an interrupted deletion left: its
 * data goes.</li>
 * </ul>
 */
public final class ExpiryPlanner {

    /** A backup set as its manifest describes it; {@code parentId} null for a full. */
    public record StoredSet(long id, String directory, Long parentId, Instant consistentTime, long consistentSeq) {
        boolean full() {
            return parentId == null;
        }
    }

    /** An archive piece with a manifest: its round and number, and the GTID seq_no its last file ends at. */
    public record StoredPiece(long round, long piece, String directory, long endSeq) {
    }

    /** What is to be deleted, in order, and why. */
    public record Deletion(Kind kind, String directory, String reason) {
    }

    public enum Kind { SET, PIECE, LEFTOVER }

    private ExpiryPlanner() {
    }

    /**
     * @param windowStart the start of the recovery window (now minus {@code recovery_window})
     * @param leftovers   set directories without a manifest that no running backup writes
     */
    public static List<Deletion> plan(Instant windowStart, List<StoredSet> sets, List<StoredPiece> pieces,
                                      List<String> leftovers) {
        List<Deletion> deletions = new ArrayList<>();
        leftovers.forEach(directory -> deletions.add(new Deletion(Kind.LEFTOVER, directory,
                "it has no manifest and no backup is writing it: the rest of an interrupted deletion or backup")));
        Map<Long, StoredSet> byId = new HashMap<>();
        sets.forEach(set -> byId.put(set.id(), set));
        Optional<StoredSet> anchor = sets.stream()
                .filter(set -> !set.consistentTime().isAfter(windowStart) && restorable(set, byId))
                .max(Comparator.comparing(StoredSet::consistentTime).thenComparingLong(StoredSet::id));
        if (anchor.isEmpty()) {
            return deletions;
        }
        Set<Long> kept = new HashSet<>(chain(anchor.get(), byId));
        sets.stream().filter(set -> set.consistentTime().isAfter(windowStart))
                .forEach(set -> kept.addAll(chain(set, byId)));
        sets.stream().filter(set -> !kept.contains(set.id()))
                .sorted(Comparator.comparingLong(StoredSet::id).reversed())
                .forEach(set -> deletions.add(new Deletion(Kind.SET, set.directory(), reasonFor(set, anchor.get(), byId,
                        windowStart))));
        long oldestKeptSeq = kept.stream().map(byId::get).filter(set -> restorable(set, byId))
                .mapToLong(StoredSet::consistentSeq).min().orElse(Long.MIN_VALUE);
        Optional<StoredPiece> newest = pieces.stream()
                .max(Comparator.comparingLong(StoredPiece::round).thenComparingLong(StoredPiece::piece));
        pieces.stream()
                .filter(piece -> piece.endSeq() < oldestKeptSeq && !piece.equals(newest.orElseThrow()))
                .sorted(Comparator.comparingLong(StoredPiece::round).thenComparingLong(StoredPiece::piece).reversed())
                .forEach(piece -> deletions.add(new Deletion(Kind.PIECE, piece.directory(), "its binlog ends at GTID"
                        + " seq_no " + piece.endSeq() + ", before the consistent point (seq_no " + oldestKeptSeq
                        + ") of the oldest backup set kept")));
        return deletions;
    }

    private static String reasonFor(StoredSet set, StoredSet anchor, Map<Long, StoredSet> byId, Instant windowStart) {
        if (!restorable(set, byId)) {
            return "backup set " + set.id() + " is an incremental whose chain no longer reaches a full backup, and its"
                    + " consistent point " + set.consistentTime() + " is before the recovery window start " + windowStart;
        }
        return "backup set " + set.id() + " (consistent at " + set.consistentTime() + ") is not needed to restore any"
                + " point of the recovery window starting " + windowStart + ": backup set " + anchor.id()
                + " (consistent at " + anchor.consistentTime() + ") and its chain cover it";
    }

    /** The set and its ancestors as far as they exist. */
    private static List<Long> chain(StoredSet set, Map<Long, StoredSet> byId) {
        List<Long> ids = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        StoredSet current = set;
        while (current != null && seen.add(current.id())) {
            ids.add(current.id());
            current = current.full() ? null : byId.get(current.parentId());
        }
        return ids;
    }

    private static boolean restorable(StoredSet set, Map<Long, StoredSet> byId) {
        Set<Long> seen = new HashSet<>();
        StoredSet current = set;
        while (current != null && seen.add(current.id())) {
            if (current.full()) {
                return true;
            }
            current = byId.get(current.parentId());
        }
        return false;
    }
}
