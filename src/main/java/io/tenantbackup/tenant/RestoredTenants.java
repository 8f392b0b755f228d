package io.tenantbackup.tenant;

import io.tenantbackup.engine.mariadb.MariaDbServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tenant whose datadir comes from a restore, from its RESTORING row ({@link TenantService#reserveForRestore}) to
 * NORMAL: start the instance on the reserved port, then register it; or discard it (process, home, row) so that the
 * name can be used again.
 */
@ApplicationScoped
public class RestoredTenants {

    @Inject
    TenantStore store;
    @Inject
    TenantProcesses processes;
    @Inject
    TenantTeardown teardown;
    @Inject
    OsUsersAhead usersAhead;

    /** The reserved instance; the row must still be RESTORING. */
    public TenantInstance restoring(String name) {
        return restoringRow(name).instance();
    }

    /**
     * Starts mariadbd on the restored datadir (given to the tenant's OS user, run with the same confinement as any
     * tenant) with a new agent account: the backup's agent password is not known here. Its first start begins the
     * binlog with the GTID state {@code binlogState} (GTIDs; none: an empty state). A password-less root of the
     * backup is locked: a tenant never has one. Returns the agent's connection, open, for the caller to go on with
     * and close.
     */
    public Connection start(String name, List<String> binlogState, Consumer<String> log)
            throws IOException, InterruptedException, SQLException {
        TenantEntity tenant = restoringRow(name);
        if (!binlogState.isEmpty()) {
            tenant.instance().server().seedBinlogState(binlogState);
        }
        processes.startWithNewAgent(tenant, List.of(), log);
        Connection agent = tenant.instance().agent().connect();
        try {
            TenantRootAccount.lockIfPasswordless(name, agent, log);
            return agent;
        } catch (SQLException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    /**
     * Starts creating the reserved tenant's OS user on another thread, for {@link #prepareDirectories} (which waits
     * for it) to find it there; what runs before needs no user.
     */
    public void createUserAhead(String name) {
        usersAhead.start(name, () -> restoringRow(name).instance().server().user());
    }

    /**
     * Creates the reserved tenant's OS user and directories, so that the restore tools can write its datadir as
     * that user.
     */
    public MariaDbServer prepareDirectories(String name, Consumer<String> log) throws IOException, InterruptedException {
        usersAhead.await(name, log);
        MariaDbServer server = restoringRow(name).instance().server();
        server.prepareDirectories(log);
        return server;
    }

    /** Marks the restored tenant NORMAL: supervised from now on and open to backups and archiving. */
    public TenantInstance activate(String name) {
        // two plain statements: the restore's last nodes wait on them, a Hibernate read and transaction cost more
        TenantEntity row = store.read(name).orElseThrow(() -> TenantErrors.notExist(name));
        if (row.status == TenantStatus.RESTORING) {
            store.changeStatus(name, TenantStatus.RESTORING, TenantStatus.NORMAL);
        }
        return row.instance();
    }

    public boolean isRestoring(String name) {
        return store.find(name).filter(row -> row.status == TenantStatus.RESTORING).isPresent();
    }

    /** Stops the instance, removes its home and its RESTORING row. Never throws; what fails is logged. */
    public void discard(String name, Consumer<String> log) {
        usersAhead.await(name, log); // else its useradd might come after the userdel
        teardown.discardRestore(name, log);
    }

    private TenantEntity restoringRow(String name) {
        return store.find(name).filter(row -> row.status == TenantStatus.RESTORING).orElseThrow(() ->
                new IllegalStateException("Tenant '" + name + "' is no longer being restored"));
    }
}
