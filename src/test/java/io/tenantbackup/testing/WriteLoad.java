package io.tenantbackup.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application writing to a tenant while it is backed up, with invariants a consistent copy keeps:
 * <ul>
 *   <li>transfer writers move money between {@code bank.accounts} in transactions that also insert a
 *   {@code bank.ledger} row and bump {@code bank.counter}: the total never changes, ledger rows = counter, and each
 *   balance is its opening balance plus the ledger's credits minus its debits;</li>
 *   <li>a journal writer appends ids 1, 2, 3… to an InnoDB, then an Aria, then a MyISAM table (autocommit): each
 *   holds a gapless prefix, passes CHECK TABLE, and the three are copied at one point (InnoDB's newest id is at most
 *   one ahead of MyISAM's, Aria's between them);</li>
 *   <li>a DDL writer creates {@code ddl.t<k>}, fills it, rebuilds it with a new column and drops {@code t<k-3>}: the
 *   tables are a contiguous window, each empty or full, and a present column {@code w} holds its default.</li>
 * </ul>
 * {@link #pause()} waits for every unit of work in flight and holds the writers until {@link #resume()}.
 */
public final class WriteLoad implements AutoCloseable {

    public static final int ACCOUNTS = 20;
    public static final long OPENING_BALANCE = 1000;
    private static final int DDL_ROWS = 10;
    private static final int DDL_WINDOW = 3;
    private static final long PACE_MILLIS = 10;

    /** Opens a connection to the tenant as an application would. */
    public interface Connector {
        Connection open() throws SQLException;
    }

    private interface Unit {
        void run(Statement sql, long sequence) throws SQLException;
    }

    /** Where a writer's sequence starts: after what an earlier load on the same schema left. */
    private interface FirstSequence {
        long of(Statement sql) throws SQLException;
    }

    private final Connector connector;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> unitsDone = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    private WriteLoad(Connector connector) {
        this.connector = connector;
    }

    /** Creates the schema: {@code bank} (InnoDB, Aria, MyISAM tables) and {@code ddl}. */
    public static void createSchema(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE bank");
            sql.execute("CREATE TABLE bank.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL) ENGINE=InnoDB");
            sql.execute("INSERT INTO bank.accounts SELECT seq, " + OPENING_BALANCE + " FROM bank.seq_1_to_" + ACCOUNTS);
            sql.execute("CREATE TABLE bank.ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, from_id INT NOT NULL,"
                    + " to_id INT NOT NULL, amount BIGINT NOT NULL) ENGINE=InnoDB");
            sql.execute("CREATE TABLE bank.counter (id INT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB");
            sql.execute("INSERT INTO bank.counter VALUES (1, 0)");
            sql.execute("CREATE TABLE bank.journal_marks (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
            sql.execute("CREATE TABLE bank.aria_journal (id BIGINT PRIMARY KEY, note VARCHAR(40)) ENGINE=Aria");
            sql.execute("CREATE TABLE bank.myisam_journal (id BIGINT PRIMARY KEY, note VARCHAR(40)) ENGINE=MyISAM");
            sql.execute("CREATE DATABASE ddl");
        }
    }

    /**
     * Starts {@code transferWriters} transfer writers, the journal writer and the DDL writer; a load started again on
     * the same schema goes on where the last one stopped.
     */
    public static WriteLoad start(Connector connector, int transferWriters) {
        WriteLoad load = new WriteLoad(connector);
        for (int writer = 0; writer < transferWriters; writer++) {
            load.spawn("transfer-" + writer, (sql, sequence) -> transfer(sql), sql -> 1);
        }
        load.spawn("journal", WriteLoad::journal,
                sql -> single(sql, "SELECT COALESCE(MAX(id), 0) + 1 FROM bank.journal_marks"));
        load.spawn("ddl", WriteLoad::ddl, sql -> single(sql, "SELECT COALESCE(MAX(CAST(SUBSTRING(table_name, 2)"
                + " AS UNSIGNED)), 0) + 1 FROM information_schema.tables WHERE table_schema = 'ddl'"));
        return load;
    }

    public void pause() throws InterruptedException {
        if (!gate.writeLock().tryLock(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the writers did not finish their units of work within 60 s");
        }
    }

    public void resume() {
        gate.writeLock().unlock();
    }

    /** Shows the load really ran: each writer finished at least {@code units} units of work. */
    public void assertEveryWriterRan(long units) {
        assertTrue(unitsDone.values().stream().allMatch(done -> done.get() >= units),
                "units of work done per writer: " + unitsDone);
    }

    /** Stops the writers; fails if any writer met an error other than a deadlock (which it retries). */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join(30_000);
            if (thread.isAlive()) {
                failures.add(new AssertionError(thread.getName() + " did not stop within 30 s"));
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("the write load failed: " + failures.peek());
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    /** The transfers committed on a tenant; safe while the writers run. */
    public static long committedTransfers(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            return single(sql, "SELECT n FROM bank.counter");
        }
    }

    /** Asserts every invariant on a quiet tenant (source or restored); returns the committed transfers it holds. */
    public static long assertInvariants(Connection connection, String what) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            assertEquals(ACCOUNTS * OPENING_BALANCE, single(sql, "SELECT SUM(balance) FROM bank.accounts"),
                    what + ": transfers keep the total");
            long counter = single(sql, "SELECT n FROM bank.counter");
            assertEquals(counter, single(sql, "SELECT COUNT(*) FROM bank.ledger"),
                    what + ": every transaction's ledger row and counter bump");
            assertEquals(0, single(sql, "SELECT COUNT(*) FROM bank.accounts a WHERE balance <> " + OPENING_BALANCE
                    + " + (SELECT COALESCE(SUM(amount), 0) FROM bank.ledger WHERE to_id = a.id)"
                    + " - (SELECT COALESCE(SUM(amount), 0) FROM bank.ledger WHERE from_id = a.id)"),
                    what + ": each balance is its ledger's sum");
            for (String table : List.of("bank.journal_marks", "bank.aria_journal", "bank.myisam_journal")) {
                assertEquals(single(sql, "SELECT COALESCE(MAX(id), 0) FROM " + table),
                        single(sql, "SELECT COUNT(*) FROM " + table), what + ": " + table + " is a gapless prefix");
                try (ResultSet check = sql.executeQuery("CHECK TABLE " + table)) {
                    while (check.next()) {
                        if (check.getString("Msg_type").equals("status")) {
                            assertEquals("OK", check.getString("Msg_text"), what + ": CHECK TABLE " + table);
                        }
                    }
                }
            }
            long innodb = single(sql, "SELECT COALESCE(MAX(id), 0) FROM bank.journal_marks");
            long aria = single(sql, "SELECT COALESCE(MAX(id), 0) FROM bank.aria_journal");
            long myisam = single(sql, "SELECT COALESCE(MAX(id), 0) FROM bank.myisam_journal");
            assertTrue(innodb - 1 <= myisam && myisam <= aria && aria <= innodb, what + ": InnoDB, Aria and MyISAM"
                    + " journals at one point, newest ids " + innodb + ", " + aria + ", " + myisam);
            assertDdlWindow(sql, what);
            return counter;
        }
    }

    private static void assertDdlWindow(Statement sql, String what) throws SQLException {
        TreeSet<Integer> numbers = new TreeSet<>();
        try (ResultSet tables = sql.executeQuery("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'ddl'")) {
            while (tables.next()) {
                numbers.add(Integer.parseInt(tables.getString(1).substring(1)));
            }
        }
        if (numbers.isEmpty()) {
            return;
        }
        assertTrue(numbers.last() - numbers.first() + 1 == numbers.size() && numbers.size() <= DDL_WINDOW + 1,
                what + ": the DDL writer's tables form a contiguous window: " + numbers);
        for (int number : numbers) {
            String table = "ddl.t" + number;
            long rows = single(sql, "SELECT COUNT(*) FROM " + table);
            assertTrue(rows == 0 || rows == DDL_ROWS, what + ": " + table + " is empty or full: " + rows);
            if (single(sql, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'ddl'"
                    + " AND table_name = 't" + number + "' AND column_name = 'w'") == 1) {
                assertEquals(7 * rows, single(sql, "SELECT COALESCE(SUM(w), 0) FROM " + table),
                        what + ": " + table + "'s added column");
            }
        }
    }

    private void spawn(String name, Unit unit, FirstSequence first) {
        AtomicLong done = new AtomicLong();
        unitsDone.put(name, done);
        Thread thread = new Thread(() -> runUntilStopped(unit, first, done), "write-load-" + name);
        threads.add(thread);
        thread.start();
    }

    private void runUntilStopped(Unit unit, FirstSequence first, AtomicLong done) {
        try (Connection connection = connector.open(); Statement sql = connection.createStatement()) {
            long sequence = first.of(sql);
            while (!stopping) {
                gate.readLock().lock();
                try {
                    unit.run(sql, sequence++);
                    done.incrementAndGet();
                } finally {
                    gate.readLock().unlock();
                }
                Thread.sleep(PACE_MILLIS);
            }
        } catch (Throwable e) {
            failures.add(e);
        }
    }

    private static void transfer(Statement sql) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(1, ACCOUNTS + 1);
        int to = (from - 1 + random.nextInt(1, ACCOUNTS)) % ACCOUNTS + 1;
        long amount = random.nextLong(1, 50);
        Connection connection = sql.getConnection();
        connection.setAutoCommit(false);
        try {
            // Rows in id order, the counter last: writers never wait on each other in a cycle.
            for (int id : from < to ? new int[] {from, to} : new int[] {to, from}) {
                sql.executeUpdate("UPDATE bank.accounts SET balance = balance " + (id == from ? "- " : "+ ") + amount
                        + " WHERE id = " + id);
            }
            sql.executeUpdate("INSERT INTO bank.ledger (from_id, to_id, amount) VALUES (" + from + ", " + to + ", "
                    + amount + ")");
            sql.executeUpdate("UPDATE bank.counter SET n = n + 1 WHERE id = 1");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            if (e.getErrorCode() != 1213 && e.getErrorCode() != 1205) {
                throw e;
            }
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void journal(Statement sql, long sequence) throws SQLException {
        sql.executeUpdate("INSERT INTO bank.journal_marks VALUES (" + sequence + ")");
        sql.executeUpdate("INSERT INTO bank.aria_journal VALUES (" + sequence + ", 'aria " + sequence + "')");
        sql.executeUpdate("INSERT INTO bank.myisam_journal VALUES (" + sequence + ", 'myisam " + sequence + "')");
    }

    private static void ddl(Statement sql, long sequence) throws SQLException {
        String table = "ddl.t" + sequence;
        sql.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB");
        sql.execute("INSERT INTO " + table + " SELECT seq, CONCAT('row ', seq) FROM ddl.seq_1_to_" + DDL_ROWS);
        sql.execute("ALTER TABLE " + table + " ADD COLUMN w INT NOT NULL DEFAULT 7, FORCE");
        if (sequence > DDL_WINDOW) {
            sql.execute("DROP TABLE ddl.t" + (sequence - DDL_WINDOW));
        }
    }

    private static long single(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
