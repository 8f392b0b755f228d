package io.tenantbackup.tenant;

import io.quarkus.panache.common.Sort;
import io.tenantbackup.db.AutocommitReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The tenant rows; each method is its own transaction unless the caller already has one. */
@ApplicationScoped
@Transactional
public class TenantStore {

    @Inject
    DataSource dataSource;

    /**
     * Joins the caller's transaction (the row is then managed by it) but begins none, see {@link AutocommitReads}:
     * every tenant route looks its tenant up (TenantRouteFilter), dashboards poll them.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    @ActivateRequestContext
    public Optional<TenantEntity> find(String name) {
        return AutocommitReads.detachedOutsideTransaction(TenantEntity.find("name", name).firstResultOptional());
    }

    /**
     * The row in one plain-JDBC statement in autocommit mode, detached, without Hibernate: for the route check of
     * every tenant request (see {@link RouteTenant}). In a transaction it would not see the session's unflushed changes.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TenantEntity> read(String name) {
        try (Connection connection = dataSource.getConnection()) {
            return TenantRows.byName(connection, name);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading tenant '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    @ActivateRequestContext
    public TenantEntity require(String name) {
        return find(name).orElseThrow(() -> TenantErrors.notExist(name));
    }

    /**
     * The home directory of every tenant in one plain-JDBC statement, in autocommit mode unless the caller has a
     * transaction: each file:// destination is checked against them, several times per backup.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Path> homes() {
        try (Connection connection = dataSource.getConnection()) {
            return TenantRows.homes(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the tenants' home directories failed: " + e.getMessage(), e);
        }
    }

    public List<TenantEntity> all() {
        return TenantEntity.listAll(Sort.by("id"));
    }

    public long count() {
        return TenantEntity.count();
    }

    public List<TenantEntity> withStatus(TenantStatus status) {
        return TenantEntity.list("status", Sort.by("id"), status);
    }

    /** The tenants with {@code status} that {@code agent} hosts. */
    public List<TenantEntity> ownedWithStatus(String agent, TenantStatus status) {
        return TenantEntity.list("ownerAgent = ?1 and status = ?2", Sort.by("id"), agent, status);
    }

    /** Inserts the row and derives its server id from the new id. */
    public TenantEntity insert(TenantEntity row) {
        row.persistAndFlush();
        row.serverId = TenantEntity.SERVER_ID_BASE + row.id;
        return row;
    }

    public Set<Integer> recordedPorts() {
        return TenantEntity.<TenantEntity>streamAll().map(row -> row.port).filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    public TenantEntity recordPort(String name, int port) {
        TenantEntity row = require(name);
        row.port = port;
        return row;
    }

    public TenantEntity setStatus(String name, TenantStatus status) {
        TenantEntity row = require(name);
        row.status = status;
        return row;
    }

    /**
     * Moves the row from status {@code from} to {@code to} with one plain-JDBC statement (in autocommit outside a
     * transaction); says whether the row had status {@code from}.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean changeStatus(String name, TenantStatus from, TenantStatus to) {
        try (Connection connection = dataSource.getConnection()) {
            return TenantRows.changeStatus(connection, name, from, to);
        } catch (SQLException e) {
            throw new IllegalStateException("Changing the status of tenant '" + name + "' failed: " + e.getMessage(), e);
        }
    }

    /** Deletes the row only if it still has the expected status; says whether it did. */
    public boolean deleteIf(String name, TenantStatus expected) {
        return TenantEntity.delete("name = ?1 and status = ?2", name, expected) > 0;
    }
}
