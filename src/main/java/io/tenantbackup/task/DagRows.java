package io.tenantbackup.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task tables read with plain JDBC for the read endpoints: one statement per call, rows returned as detached
 * entities with every column set, so they map to the API as entities read by Hibernate do. Times are read as Hibernate
 * stores an {@link OffsetDateTime} in a DATETIME column: normalised to UTC.
 */
final class DagRows {

    private static final String DAG = "SELECT id, name, state, operator, start_time, end_time, stage, max_stage,"
            + " maintenance_type, maintenance_key, finish_count, execute_agent, cleanup_owed, params FROM dag";
    private static final String SUB_TASK = "s.id, s.name, s.state, s.operator, s.start_time, s.end_time, s.node_id,"
            + " s.dag_id, s.execute_times, s.additional_data, d.execute_agent";
    private static final String NODE = "SELECT n.id, n.name, n.state, n.operator, n.start_time, n.end_time,"
            + " n.dag_id, n.stage, n.task_class, " + SUB_TASK
            + " FROM node n JOIN sub_task s ON s.node_id = n.id JOIN dag d ON d.id = n.dag_id";
    private static final String LOG = "SELECT l.sub_task_id, l.log_content FROM task_log l";

    private DagRows() {
    }

    static Optional<DagEntity> dag(Connection connection, long dagId) throws SQLException {
        List<DagEntity> rows = query(connection, DAG + " WHERE id = ?", dagId, DagRows::dag);
        return rows.stream().findFirst();
    }

    /** The nodes of a DAG in stage order, each with its sub-task. */
    static List<NodeRow> nodesOfDag(Connection connection, long dagId) throws SQLException {
        return query(connection, NODE + " WHERE n.dag_id = ? ORDER BY n.stage", dagId, DagRows::node);
    }

    static Optional<NodeRow> node(Connection connection, long nodeId) throws SQLException {
        return query(connection, NODE + " WHERE n.id = ?", nodeId, DagRows::node).stream().findFirst();
    }

    static Optional<SubTaskRow> subTask(Connection connection, long subTaskId) throws SQLException {
        return query(connection, "SELECT " + SUB_TASK + " FROM sub_task s JOIN dag d ON d.id = s.dag_id"
                + " WHERE s.id = ?", subTaskId, rs -> subTask(rs, 1)).stream().findFirst();
    }

    /** The log lines of every sub-task of a DAG, by sub-task id, in the order they were written. */
    static Map<Long, List<String>> logLinesOfDag(Connection connection, long dagId) throws SQLException {
        return logLines(connection, LOG + " JOIN sub_task s ON s.id = l.sub_task_id WHERE s.dag_id = ?"
                + " ORDER BY l.sub_task_id, l.id", dagId);
    }

    static List<String> logLinesOfSubTask(Connection connection, long subTaskId) throws SQLException {
        return logLines(connection, LOG + " WHERE l.sub_task_id = ? ORDER BY l.id", subTaskId)
                .getOrDefault(subTaskId, List.of());
    }

    /** A node row and its single sub-task. */
    record NodeRow(NodeEntity node, SubTaskRow subTask) {
    }

    /** A sub-task row and the {@code ip:port} of the agent that runs its DAG. */
    record SubTaskRow(SubTaskEntity subTask, String executeAgent) {
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(Connection connection, String sql, long id, RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    private static Map<Long, List<String>> logLines(Connection connection, String sql, long id) throws SQLException {
        Map<Long, List<String>> lines = new HashMap<>();
        query(connection, sql, id, rs -> lines.computeIfAbsent(rs.getLong(1), subTask -> new ArrayList<>())
                .add(rs.getString(2)));
        return lines;
    }

    private static DagEntity dag(ResultSet rs) throws SQLException {
        DagEntity dag = record(new DagEntity(), rs, 1);
        dag.stage = rs.getInt(7);
        dag.maxStage = rs.getInt(8);
        dag.maintenanceType = rs.getInt(9);
        dag.maintenanceKey = rs.getString(10);
        dag.finishCount = rs.getInt(11);
        dag.executeAgent = rs.getString(12);
        dag.cleanupOwed = rs.getBoolean(13);
        dag.params = rs.getString(14);
        return dag;
    }

    private static NodeRow node(ResultSet rs) throws SQLException {
        NodeEntity node = record(new NodeEntity(), rs, 1);
        node.dagId = rs.getLong(7);
        node.stage = rs.getInt(8);
        node.taskClass = rs.getString(9);
        return new NodeRow(node, subTask(rs, 10));
    }

    private static SubTaskRow subTask(ResultSet rs, int first) throws SQLException {
        SubTaskEntity subTask = record(new SubTaskEntity(), rs, first);
        subTask.nodeId = rs.getLong(first + 6);
        subTask.dagId = rs.getLong(first + 7);
        subTask.executeTimes = rs.getInt(first + 8);
        subTask.additionalData = rs.getString(first + 9);
        return new SubTaskRow(subTask, rs.getString(first + 10));
    }

    /** id, name, state, operator, start_time, end_time from column {@code first} on. */
    private static <T extends TaskRecordEntity> T record(T record, ResultSet rs, int first) throws SQLException {
        record.id = rs.getLong(first);
        record.name = rs.getString(first + 1);
        record.state = TaskState.valueOf(rs.getString(first + 2));
        record.operator = TaskOperator.valueOf(rs.getString(first + 3));
        record.startTime = utc(rs.getObject(first + 4, LocalDateTime.class));
        record.endTime = utc(rs.getObject(first + 5, LocalDateTime.class));
        return record;
    }

    private static OffsetDateTime utc(LocalDateTime value) {
        return value == null ? null : value.atOffset(ZoneOffset.UTC);
    }
}
