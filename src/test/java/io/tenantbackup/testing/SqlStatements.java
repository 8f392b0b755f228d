package io.tenantbackup.testing;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Every statement the test application sends to the metadata DB, seen by the MySQL driver (queryInterceptors in
 * application.properties): Hibernate's, plain JDBC and transaction control (SET autocommit, COMMIT) alike, so a
 * test can count the round trips of a request. The counts are service-wide (scheduled jobs read too), hence
 * {@link #fewestOf}. The driver loads its interceptor in a class loader of its own, so the instance it creates and the
 * test's class share their state through JDK objects kept in the system properties.
 */
public class SqlStatements implements QueryInterceptor {

    private static final List<String> RECORDED = shared("tenant-backup.test.sql-statements", new ArrayList<String>());
    private static final AtomicBoolean RECORDING = shared("tenant-backup.test.sql-recording", new AtomicBoolean());

    @SuppressWarnings("unchecked")
    private static <T> T shared(String key, T initial) {
        return (T) System.getProperties().computeIfAbsent(key, absent -> initial);
    }

    @Override
    public QueryInterceptor init(MysqlConnection connection, Properties properties, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query query) {
        if (RECORDING.get()) {
            synchronized (RECORDED) {
                RECORDED.add(sql.get() + " [" + Thread.currentThread().getName() + "]");
            }
        }
        return null;
    }

    @Override
    public boolean executeTopLevelOnly() {
        return true;
    }

    @Override
    public void destroy() {
    }

    @Override
    public <T extends Resultset> T postProcess(Supplier<String> sql, Query query, T result, ServerSession session) {
        return null;
    }

    /** The statements issued while {@code action} ran (one caller at a time). */
    public static synchronized List<String> during(Runnable action) {
        synchronized (RECORDED) {
            RECORDED.clear();
        }
        RECORDING.set(true);
        try {
            action.run();
        } finally {
            RECORDING.set(false);
        }
        synchronized (RECORDED) {
            return List.copyOf(RECORDED);
        }
    }

    /** The smallest set of statements over {@code runs} runs of {@code action}: what a scheduled job did not add to. */
    public static List<String> fewestOf(int runs, Runnable action) {
        List<String> fewest = null;
        for (int i = 0; i < runs; i++) {
            List<String> statements = during(action);
            if (fewest == null || statements.size() < fewest.size()) {
                fewest = statements;
            }
        }
        return fewest;
    }
}
