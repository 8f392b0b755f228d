package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Appends a running task's log lines with one plain-JDBC INSERT in autocommit mode: one round trip and one commit per
 * call. In a JTA transaction through Hibernate the same lines cost three round trips more (autocommit off, commit,
 * autocommit on) and the transaction manager's CPU, and a log line needs neither: it locks nothing and changes no
 * state. Times are stored as Hibernate stores an {@code OffsetDateTime}: in UTC.
 */
@ApplicationScoped
class TaskLogWriter {

    @Inject
    DataSource dataSource;

    void append(long subTaskId, int executeTimes, List<String> lines) {
        if (QuarkusTransaction.isActive()) {
            // a connection taken inside the caller's transaction would commit the lines with it, or never
            QuarkusTransaction.suspendingExisting().run(() -> append(subTaskId, executeTimes, lines));
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO task_log (sub_task_id, execute_times, log_content, is_sync,"
                + " create_time, update_time) VALUES ");
        for (int i = 0; i < lines.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, TRUE, ?, ?)");
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            int parameter = 1;
            for (String line : lines) {
                insert.setLong(parameter++, subTaskId);
                insert.setInt(parameter++, executeTimes);
                insert.setString(parameter++, line);
                insert.setObject(parameter++, now);
                insert.setObject(parameter++, now);
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot write the log of sub-task " + subTaskId + ": " + e.getMessage(), e);
        }
    }
}
