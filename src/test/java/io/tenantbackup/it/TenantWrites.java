package io.tenantbackup.it;

import io.tenantbackup.archive.ArchivedBinlogs;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes to a tenant for the packaged-service tests: a large table to back up, binlogged changes to archive. */
final class TenantWrites {

    private TenantWrites() {
    }

    /**
     * {@code shop.events}, three million rows (about 800 MB), so that a full backup streams for a few seconds even on
     * the pipelined backup path (a million rows streamed in about a second); not binlogged.
     */
    static void fillWithoutBinlog(int port, String rootPassword) throws Exception {
        try (Connection connection = connectAsRoot(port, rootPassword); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("USE shop");
            sql.execute("SET sql_log_bin = 0");
            sql.execute("CREATE TABLE events (id INT PRIMARY KEY, pad VARCHAR(255)) ENGINE=InnoDB");
            sql.execute("INSERT INTO events SELECT seq, REPEAT(MD5(seq), 7) FROM seq_1_to_3000000");
        }
    }

    /** Binlogged writes into {@code shop.changes}, then FLUSH BINARY LOGS so the file holding them can be archived. */
    static void writeAndRotate(int port, String rootPassword) throws Exception {
        try (Connection connection = connectAsRoot(port, rootPassword); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE IF NOT EXISTS shop.changes (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6))");
            for (int i = 0; i < 20; i++) {
                sql.execute("INSERT INTO shop.changes (at) VALUES (NOW(6))");
            }
            sql.execute("FLUSH BINARY LOGS");
        }
    }

    /** Waits up to 90 s until round {@code roundId} of the archive holds everything the tenant has binlogged. */
    static void awaitArchivedUpToTheServer(Path archive, long roundId, int port, String rootPassword)
            throws Exception {
        String serverPosition;
        try (Connection connection = connectAsRoot(port, rootPassword); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            serverPosition = row.getString(1);
        }
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!ArchivedBinlogs.archivedUpTo(archive, roundId).equals(serverPosition)) {
            assertTrue(System.nanoTime() < deadline, "the archive never reached GTID " + serverPosition);
            sleep(250);
        }
    }
}
