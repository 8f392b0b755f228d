package io.tenantbackup.lifecycle;

import io.tenantbackup.lifecycle.ExpiryPlanner.Deletion;
import io.tenantbackup.lifecycle.ExpiryPlanner.Kind;
import io.tenantbackup.lifecycle.ExpiryPlanner.StoredPiece;
import io.tenantbackup.lifecycle.ExpiryPlanner.StoredSet;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every expiry rule of the delete_policy over sets taken on simulated days (day N = consistent at N days past DAY_0). */
class ExpiryPlannerTest {

    private static final Instant DAY_0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant day(double n) {
        return DAY_0.plusSeconds((long) (n * 86_400));
    }

    private static StoredSet full(long id, double day, long seq) {
        return new StoredSet(id, "backup_set_" + id + "_full", null, day(day), seq);
    }

    private static StoredSet inc(long id, long parent, double day, long seq) {
        return new StoredSet(id, "backup_set_" + id + "_inc", parent, day(day), seq);
    }

    private static StoredPiece piece(long round, long piece, long endSeq) {
        return new StoredPiece(round, piece, "round_" + round + "/piece_" + piece, endSeq);
    }

    /** Full on day 1, incrementals days 2-3, full day 4, incrementals days 5-6; sequence numbers grow by 10 a day. */
    private static final List<StoredSet> TWO_CHAINS = List.of(full(1, 1, 10), inc(2, 1, 2, 20), inc(3, 2, 3, 30),
            full(4, 4, 40), inc(5, 4, 5, 50), inc(6, 5, 6, 60));

    private static List<String> directories(List<Deletion> plan, Kind kind) {
        return plan.stream().filter(deletion -> deletion.kind() == kind).map(Deletion::directory).toList();
    }

    @Test
    void windowStartingAfterTheSecondFullDeletesTheFirstChainDependentsFirst() {
        List<Deletion> plan = ExpiryPlanner.plan(day(5.5), TWO_CHAINS, List.of(), List.of());
        assertEquals(List.of("backup_set_3_inc", "backup_set_2_inc", "backup_set_1_full"), directories(plan, Kind.SET));
        assertTrue(plan.get(0).reason().contains("backup set 5"), plan.get(0).reason());
    }

    @Test
    void windowStartingInsideTheFirstChainKeepsItsFullAndTheIncrementalsUpToTheStart() {
        assertEquals(List.of(), ExpiryPlanner.plan(day(2.5), TWO_CHAINS, List.of(), List.of()));
    }

    @Test
    void windowStartingExactlyAtTheSecondFullKeepsOnlyItsChain() {
        assertEquals(List.of("backup_set_3_inc", "backup_set_2_inc", "backup_set_1_full"),
                directories(ExpiryPlanner.plan(day(4), TWO_CHAINS, List.of(), List.of()), Kind.SET));
    }

    @Test
    void nothingBeforeTheWindowStartMeansNothingIsDeleted() {
        assertEquals(List.of(), ExpiryPlanner.plan(day(0.5), TWO_CHAINS, List.of(piece(1, 1, 5)), List.of()));
    }

    @Test
    void aWindowStartingAfterEverySetStillKeepsTheNewestChain() {
        List<Deletion> plan = ExpiryPlanner.plan(day(100), TWO_CHAINS, List.of(), List.of());
        assertEquals(List.of("backup_set_3_inc", "backup_set_2_inc", "backup_set_1_full"), directories(plan, Kind.SET));
    }

    @Test
    void aFullStaysWhileAnIncrementalBuiltOnItIsKept() {
        List<StoredSet> oneChain = List.of(full(1, 1, 10), inc(2, 1, 2, 20), inc(3, 2, 9, 90));
        assertEquals(List.of(), ExpiryPlanner.plan(day(5), oneChain, List.of(), List.of()));
    }

    @Test
    void anIncrementalWithoutItsFullGoesOnceBeforeTheStartAndIsNeverTheAnchor() {
        List<StoredSet> sets = List.of(full(4, 4, 40), inc(7, 6, 7, 70), inc(8, 6, 12, 120));
        List<Deletion> plan = ExpiryPlanner.plan(day(10), sets, List.of(), List.of());
        assertEquals(List.of("backup_set_7_inc"), directories(plan, Kind.SET));
        assertTrue(plan.get(0).reason().contains("no longer reaches a full"), plan.get(0).reason());
    }

    @Test
    void piecesEndingBeforeTheOldestKeptConsistentPointGoNewestFirst() {
        List<StoredPiece> pieces = List.of(piece(1, 1, 15), piece(1, 2, 38), piece(1, 3, 40), piece(2, 1, 65));
        List<Deletion> plan = ExpiryPlanner.plan(day(5.5), TWO_CHAINS, pieces, List.of());
        assertEquals(List.of("round_1/piece_2", "round_1/piece_1"), directories(plan, Kind.PIECE));
        assertTrue(plan.indexOf(plan.stream().filter(d -> d.kind() == Kind.PIECE).findFirst().orElseThrow())
                > plan.indexOf(plan.stream().filter(d -> d.kind() == Kind.SET).reduce((a, b) -> b).orElseThrow()),
                "sets go before the archive they were restored with");
    }

    @Test
    void theNewestPieceStaysEvenWhenItEndsBeforeTheKeptSets() {
        List<Deletion> plan = ExpiryPlanner.plan(day(5.5), TWO_CHAINS, List.of(piece(1, 1, 15), piece(1, 2, 20)),
                List.of());
        assertEquals(List.of("round_1/piece_1"), directories(plan, Kind.PIECE));
    }

    @Test
    void noArchiveGoesWhileNoBackupSetExists() {
        assertEquals(List.of(), ExpiryPlanner.plan(day(5), List.of(), List.of(piece(1, 1, 15), piece(1, 2, 20)),
                List.of()));
    }

    /**
     * Wherever an expiry stops (after any number of deletions, or between a set's manifest and its data), every set
     * still visible has its whole chain, and the next run finishes the job from what it finds.
     */
    @Test
    void anExpiryInterruptedAnywhereLeavesOnlyWholeChainsAndTheNextRunFinishes() {
        List<StoredSet> sets = List.of(full(1, 1, 10), inc(2, 1, 2, 20), inc(3, 2, 3, 30), full(4, 4, 40),
                inc(5, 4, 5, 50), full(6, 6, 60), inc(7, 6, 7, 70));
        List<Deletion> plan = ExpiryPlanner.plan(day(6.5), sets, List.of(), List.of());
        assertEquals(List.of("backup_set_5_inc", "backup_set_4_full", "backup_set_3_inc", "backup_set_2_inc",
                "backup_set_1_full"), directories(plan, Kind.SET));
        for (int done = 0; done <= plan.size(); done++) {
            List<String> gone = directories(plan.subList(0, done), Kind.SET);
            List<StoredSet> visible = sets.stream().filter(set -> !gone.contains(set.directory())).toList();
            for (StoredSet set : visible) {
                StoredSet link = set;
                while (!link.full()) {
                    long parent = link.parentId();
                    link = visible.stream().filter(candidate -> candidate.id() == parent).findFirst()
                            .orElseThrow(() -> new AssertionError("after " + gone + " set " + set.id() + " lost its chain"));
                }
            }
            List<String> leftovers = done == 0 ? List.of() : List.of(plan.get(done - 1).directory());
            List<Deletion> next = ExpiryPlanner.plan(day(6.5), visible, List.of(), leftovers);
            assertEquals(plan.size() - done, directories(next, Kind.SET).size(), "the next run deletes the rest");
        }
    }

    @Test
    void leftoversOfAnInterruptedDeletionGoFirst() {
        List<Deletion> plan = ExpiryPlanner.plan(day(5.5), TWO_CHAINS, List.of(), List.of("backup_set_9_inc"));
        assertEquals(new Deletion(Kind.LEFTOVER, "backup_set_9_inc", plan.get(0).reason()), plan.get(0));
        assertEquals(4, plan.size());
    }
}
