package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read side of the engine for the task endpoints. Ids are raw ids; decode generic ids with {@link GenericId}. The DAG,
 * node and sub-task reads SDKs poll use plain JDBC in autocommit mode (Hibernate and a JTA transaction cost more CPU
 * and three round trips more than the statements themselves) and a fixed number of statements whatever the size of the
 * DAG: one for a DAG summary and for a finished DAG in {@link FinishedDagCache}, otherwise three in one read-only
 * transaction; two for a node or a sub-task.
 */
@ApplicationScoped
public class TaskQueries {

    @Inject
    FinishedDagCache finished;

    @Inject
    DataSource dataSource;

    /** The DAG row alone: what obshell shows without details. */
    public DagEntity dagSummary(long dagId) {
        return read(connection -> DagRows.dag(connection, dagId)).orElseThrow(TaskErrors::notFound);
    }

    /**
     * The DAG with its nodes, sub-tasks and logs. A DAG the cache holds costs its row; when the row still matches the
     * cached version, the cached nodes are those of this row. Anything else is read in one snapshot, so that the
     * nodes are those of the row the answer shows (and may be cached under it).
     */
    public DagDetail dag(long dagId) {
        if (finished.holds(dagId)) {
            DagEntity dag = dagSummary(dagId);
            Optional<List<DagDetail.NodeDetail>> nodes = finished.nodes(dag);
            if (nodes.isPresent()) {
                return new DagDetail(dag, nodes.get());
            }
        }
        DagDetail detail = consistentRead(connection -> {
            DagEntity dag = DagRows.dag(connection, dagId).orElseThrow(TaskErrors::notFound);
            return new DagDetail(dag, nodes(connection, dag.id));
        });
        finished.offer(detail.dag(), detail.nodes());
        return detail;
    }

    /**
     * The node with its sub-task, then the logs: a line is written with or before the state it leads to and never
     * changes, so the logs read second hold every line of the state read first (and perhaps newer ones).
     */
    public DagDetail.NodeDetail node(long nodeId) {
        return read(connection -> {
            DagRows.NodeRow row = DagRows.node(connection, nodeId).orElseThrow(TaskErrors::notFound);
            return new DagDetail.NodeDetail(row.node(), List.of(detail(row.subTask(),
                    DagRows.logLinesOfSubTask(connection, row.subTask().subTask().id))));
        });
    }

    /** The sub-task, then its logs, as {@link #node} reads them. */
    public DagDetail.SubTaskDetail subTask(long subTaskId) {
        return read(connection -> {
            DagRows.SubTaskRow row = DagRows.subTask(connection, subTaskId).orElseThrow(TaskErrors::notFound);
            return detail(row, DagRows.logLinesOfSubTask(connection, subTaskId));
        });
    }

    @Transactional
    public List<TaskLogEntity> logs(long subTaskId) {
        if (SubTaskEntity.findById(subTaskId) == null) {
            throw TaskErrors.notFound();
        }
        return TaskLogEntity.ofSubTask(subTaskId);
    }

    /** DAGs whose state is neither SUCCEED nor FAILED, oldest first. */
    @Transactional
    public List<DagEntity> unfinishedDags() {
        return DagEntity.list("state not in ?1 order by id", List.of(TaskState.SUCCEED, TaskState.FAILED));
    }

    /** The most recent DAG that worked under {@code maintenanceKey} (a tenant name), finished or not. */
    @Transactional
    public Optional<DagEntity> latestDag(String maintenanceKey) {
        return DagEntity.find("maintenanceKey = ?1 order by id desc", maintenanceKey).firstResultOptional();
    }

    /** The nodes of a DAG in stage order with their sub-tasks and logs, in two statements. */
    private static List<DagDetail.NodeDetail> nodes(Connection connection, long dagId) throws SQLException {
        List<DagRows.NodeRow> rows = DagRows.nodesOfDag(connection, dagId);
        Map<Long, List<String>> logLines = rows.isEmpty() ? Map.of() : DagRows.logLinesOfDag(connection, dagId);
        return rows.stream().map(row -> new DagDetail.NodeDetail(row.node(), List.of(detail(row.subTask(),
                logLines.getOrDefault(row.subTask().subTask().id, List.of()))))).toList();
    }

    private static DagDetail.SubTaskDetail detail(DagRows.SubTaskRow row, List<String> logLines) {
        return new DagDetail.SubTaskDetail(row.subTask(), logLines, row.executeAgent());
    }

    private interface SqlRead<T> {
        T read(Connection connection) throws SQLException;
    }

    /** {@code read} on a connection in autocommit mode (or in the caller's transaction, if it has one). */
    private <T> T read(SqlRead<T> read) {
        try (Connection connection = dataSource.getConnection()) {
            return read.read(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the task tables failed: " + e.getMessage(), e);
        }
    }

    /** {@code read} in one read-only transaction: its statements see one snapshot. A caller's transaction is one. */
    private <T> T consistentRead(SqlRead<T> read) {
        if (QuarkusTransaction.isActive()) {
            return read(read);
        }
        return read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("START TRANSACTION READ ONLY");
                try {
                    return read.read(connection);
                } finally {
                    statement.execute("COMMIT");
                }
            }
        });
    }
}
