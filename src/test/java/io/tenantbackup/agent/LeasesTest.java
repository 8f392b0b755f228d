package io.tenantbackup.agent;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive lease between two holders (two instances). A pause past the lease is the lease's expiry time passing,
 * written into the row as the database clock would see it after the pause.
 */
@QuarkusTest
class LeasesTest {

    private static final Leases.Holder FIRST = new Leases.Holder("10.0.1.1:2886", "run-1");
    private static final Leases.Holder SECOND = new Leases.Holder("10.0.1.2:2886", "run-1");

    @Inject
    Leases leases;
    @Inject
    EntityManager em;

    @Test
    void aLeaseIsNeverHeldByTwoAndAHolderThatPausedPastItMayNotWriteAgain() {
        String key = "archive:test-" + System.nanoTime();
        Leases.Lease first = leases.acquire(key, FIRST).orElseThrow();
        assertEquals(1, first.generation());
        assertTrue(leases.holds(first));
        assertEquals(Optional.empty(), leases.acquire(key, SECOND), "a valid lease is not taken");
        assertTrue(leases.renew(first));

        pausePastTheLease(key);
        assertFalse(leases.holds(first), "after the pause the first holder must not write, even before a take-over");
        assertFalse(leases.renew(first));
        Leases.Lease second = leases.acquire(key, SECOND).orElseThrow();
        assertEquals(2, second.generation());
        assertTrue(leases.holds(second));
        assertFalse(leases.holds(first));
        assertEquals(Optional.empty(), leases.acquire(key, FIRST), "the woken holder cannot take it back");

        leases.release(second);
        assertFalse(leases.holds(second));
        Leases.Lease again = leases.acquire(key, FIRST).orElseThrow();
        assertEquals(3, again.generation(), "a released lease is free at once, under a new generation");
    }

    @Test
    void aHolderThatPausedPastItsLeaseAndFoundItFreeStartsANewGeneration() {
        String key = "archive:test-" + System.nanoTime();
        Leases.Lease before = leases.acquire(key, FIRST).orElseThrow();

        pausePastTheLease(key);
        Leases.Lease after = leases.acquire(key, FIRST).orElseThrow();

        assertEquals(before.generation() + 1, after.generation());
        assertFalse(leases.holds(before), "writes checked against the old generation stay refused");
        assertTrue(leases.holds(after));
    }

    private void pausePastTheLease(String key) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE agent_lease SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE lease_key = ?1")
                .setParameter(1, key).executeUpdate());
    }
}
