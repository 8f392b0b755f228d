package io.tenantbackup.db;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.util.Optional;

/**
 * For one-statement reads on polled routes that join a caller's transaction but begin none
 * ({@code @Transactional(SUPPORTS)} with {@code @ActivateRequestContext}): outside a transaction Hibernate runs the
 * statement in autocommit mode, which saves the three round trips of a transaction (autocommit off, commit, autocommit
 * on), on a session that lives as long as the HTTP request.
 */
public final class AutocommitReads {

    private AutocommitReads() {
    }

    /**
     * The entity as a transaction of its own would have returned it: detached when no transaction is active, so that
     * the request's session never hands out this copy again, stale, to a later read of the same request.
     */
    public static <T> Optional<T> detachedOutsideTransaction(Optional<T> entity) {
        if (!QuarkusTransaction.isActive()) {
            entity.ifPresent(Panache.getEntityManager()::detach);
        }
        return entity;
    }
}
