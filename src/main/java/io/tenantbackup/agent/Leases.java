package io.tenantbackup.agent;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;
import java.util.Optional;

/**
 * Leases in the metadata database with a fencing generation. A lease is taken when free, expired or already the
 * holder's; every take by a new holder bumps the generation. The holder calls {@link #holds} right before each write
 * the lease guards: after a pause past its lease that check fails even if nobody took the lease meanwhile, so a
 * stale holder never writes. Expiry is judged by the database's clock.
 */
@ApplicationScoped
public class Leases {

    @Inject
    EntityManager em;
    @Inject
    AgentTimings timings;

    /** Who holds a lease: the agent identity and the incarnation (one run of the process). */
    public record Holder(String agent, String incarnation) {
    }

    /** A lease as taken: only this generation is allowed to write. */
    public record Lease(String key, Holder holder, long generation) {
    }

    /** Takes or renews the lease for {@link AgentTimings#leaseDuration()}; empty while another holder's is valid. */
    public Optional<Lease> acquire(String key, Holder holder) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT holder, incarnation, generation,"
                            + " CASE WHEN expires_at > NOW(6) THEN 1 ELSE 0 END FROM agent_lease"
                            + " WHERE lease_key = ?1 FOR UPDATE")
                    .setParameter(1, key).getResultList();
            long duration = AgentTimings.micros(timings.leaseDuration());
            if (rows.isEmpty()) {
                em.createNativeQuery("INSERT INTO agent_lease (lease_key, holder, incarnation, generation, expires_at)"
                                + " VALUES (?1, ?2, ?3, 1, NOW(6) + INTERVAL ?4 MICROSECOND)")
                        .setParameter(1, key).setParameter(2, holder.agent()).setParameter(3, holder.incarnation())
                        .setParameter(4, duration).executeUpdate();
                return Optional.of(new Lease(key, holder, 1));
            }
            Object[] row = rows.get(0);
            boolean mine = holder.agent().equals(row[0]) && holder.incarnation().equals(row[1]);
            boolean valid = ((Number) row[3]).intValue() == 1;
            long generation = ((Number) row[2]).longValue();
            if (!mine && valid) {
                return Optional.empty();
            }
            long next = mine && valid ? generation : generation + 1;
            em.createNativeQuery("UPDATE agent_lease SET holder = ?2, incarnation = ?3, generation = ?4,"
                            + " expires_at = NOW(6) + INTERVAL ?5 MICROSECOND WHERE lease_key = ?1")
                    .setParameter(1, key).setParameter(2, holder.agent()).setParameter(3, holder.incarnation())
                    .setParameter(4, next).setParameter(5, duration).executeUpdate();
            return Optional.of(new Lease(key, holder, next));
        });
    }

    /**
     * Extends a lease still held with the same generation; false when it expired or changed hands, and then the
     * holder must stop (an expired lease is re-taken with {@link #acquire}, which gives a new generation).
     */
    public boolean renew(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("UPDATE agent_lease"
                        + " SET expires_at = NOW(6) + INTERVAL ?5 MICROSECOND WHERE lease_key = ?1 AND holder = ?2"
                        + " AND incarnation = ?3 AND generation = ?4 AND expires_at > NOW(6)")
                .setParameter(1, lease.key()).setParameter(2, lease.holder().agent())
                .setParameter(3, lease.holder().incarnation()).setParameter(4, lease.generation())
                .setParameter(5, AgentTimings.micros(timings.leaseDuration()))
                .executeUpdate() == 1);
    }

    /** The fencing check: the lease is still this generation's and has not expired. */
    public boolean holds(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> !em.createNativeQuery("SELECT lease_key FROM agent_lease"
                        + " WHERE lease_key = ?1 AND holder = ?2 AND incarnation = ?3 AND generation = ?4"
                        + " AND expires_at > NOW(6)")
                .setParameter(1, lease.key()).setParameter(2, lease.holder().agent())
                .setParameter(3, lease.holder().incarnation()).setParameter(4, lease.generation())
                .getResultList().isEmpty());
    }

    /** Gives the lease up at once (a clean stop), so the next holder need not wait for it to expire. */
    public void release(Lease lease) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE agent_lease SET expires_at = NOW(6)"
                        + " WHERE lease_key = ?1 AND holder = ?2 AND incarnation = ?3 AND generation = ?4")
                .setParameter(1, lease.key()).setParameter(2, lease.holder().agent())
                .setParameter(3, lease.holder().incarnation()).setParameter(4, lease.generation())
                .executeUpdate());
    }
}
