package io.tenantbackup.restore;

import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * While a binlog replay runs, reads the restored instance's {@code gtid_binlog_pos} twice a second (the replayed
 * transactions keep their GTIDs) and reports its seq_no, so the overview shows the replay advancing.
 */
final class ReplayWatch implements AutoCloseable {

    private static final long PERIOD_MILLIS = 500;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "restore-replay-watch");
        thread.setDaemon(true);
        return thread;
    });
    private final TenantInstance instance;
    private final LongConsumer reached;
    private Connection connection;

    private ReplayWatch(TenantInstance instance, LongConsumer reached) {
        this.instance = instance;
        this.reached = reached;
    }

    static ReplayWatch start(TenantInstance instance, LongConsumer reached) {
        ReplayWatch watch = new ReplayWatch(instance, reached);
        watch.timer.scheduleWithFixedDelay(watch::read, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    private void read() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = instance.agent().connect();
            }
            try (Statement sql = connection.createStatement();
                 ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
                row.next();
                reached.accept(Gtids.seqNo(row.getString(1)));
            }
        } catch (SQLException | IOException e) {
            // progress only: the replay itself reports what went wrong; try again at the next tick
            closeConnection();
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        closeConnection();
    }

    private void closeConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already unusable
        }
        connection = null;
    }
}
