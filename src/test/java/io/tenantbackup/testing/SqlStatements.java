package io.tenantbackup.testing;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import org.hibernate.resource.jdbc.spi.StatementInspector;

import java.util.ArrayList;
import java.util.List;

/**
 * Every SQL statement Hibernate prepares in the test application, so a test can count the statements of a request.
 * The counts are service-wide (scheduled jobs read too), hence {@link #fewestOf}.
 */
@PersistenceUnitExtension
public class SqlStatements implements StatementInspector {

    private static final List<String> RECORDED = new ArrayList<>();
    private static volatile boolean recording;

    @Override
    public String inspect(String sql) {
        if (recording) {
            synchronized (RECORDED) {
                RECORDED.add(sql);
            }
        }
        return sql;
    }

    /** The statements issued while {@code action} ran (one caller at a time). */
    public static synchronized List<String> during(Runnable action) {
        synchronized (RECORDED) {
            RECORDED.clear();
        }
        recording = true;
        try {
            action.run();
        } finally {
            recording = false;
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
