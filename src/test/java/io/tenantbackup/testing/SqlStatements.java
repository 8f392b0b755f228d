package io.tenantbackup.testing;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;

import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Every statement the test application sends to the metadata DB, seen by the MySQL driver (queryInterceptors in
 * application.properties): Hibernate's, plain JDBC and transaction control (SET autocommit, COMMIT) alike, so a
 * test can count the round trips of a request. The counts are service-wide (scheduled jobs read too), hence
 * {@link #fewestOf}. The driver loads its interceptor with a class loader of its own, so that instance and the test's
 * copy of this class share their state through string system properties (other values would break components that
 * read every system property, such as Narayana when Quarkus restarts for another test profile).
 */
public class SqlStatements implements QueryInterceptor {

    private static final String RECORDING = "tenant-backup.test.sql-recording";
    private static final String RECORDED = "tenant-backup.test.sql-statements";
    /** ASCII record separator: between two recorded statements. */
    private static final String SEPARATOR = "\u001e";

    @Override
    public QueryInterceptor init(MysqlConnection connection, Properties properties, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query query) {
        if (System.getProperty(RECORDING) != null) {
            String statement = sql.get() + " [" + Thread.currentThread().getName() + "]";
            synchronized (System.getProperties()) {
                String before = System.getProperty(RECORDED);
                System.setProperty(RECORDED, before == null ? statement : before + SEPARATOR + statement);
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

    /** The statements issued while {@code action} ran, each followed by its thread (one caller at a time). */
    public static synchronized List<String> during(Runnable action) {
        System.clearProperty(RECORDED);
        System.setProperty(RECORDING, "true");
        try {
            action.run();
        } finally {
            System.clearProperty(RECORDING);
        }
        synchronized (System.getProperties()) {
            String recorded = System.clearProperty(RECORDED);
            return recorded == null ? List.of() : List.of(recorded.split(SEPARATOR));
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
