package io.tenantbackup.api.task;

import io.tenantbackup.agent.AgentAddress;
import io.tenantbackup.api.model.DagDetailDTO;
import io.tenantbackup.api.model.ExecuteAgent;
import io.tenantbackup.api.model.NodeDetailDTO;
import io.tenantbackup.api.model.TaskDetailDTO;
import io.tenantbackup.api.model.TaskLog;
import io.tenantbackup.api.model.TaskOperator;
import io.tenantbackup.api.model.TaskState;
import io.tenantbackup.task.DagDetail;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.TaskLogEntity;
import io.tenantbackup.task.TaskRecordEntity;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Engine records to obshell's DagDetailDTO / NodeDetailDTO / TaskDetailDTO. */
@ApplicationScoped
public class TaskDtoMapper {

    /** Go's zero time: what obshell shows for a time that is not set yet. */
    static final OffsetDateTime GO_ZERO_TIME = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,18}");

    /** A freshly created or summarised DAG: obshell omits nodes and additional_data. */
    public DagDetailDTO summary(DagEntity dag) {
        return new DagDetailDTO()
                .id(dag.genericId())
                .dagId(dag.id)
                .name(dag.name)
                .stage(dag.stage)
                .maxStage(dag.maxStage)
                .maintenanceType(dag.maintenanceType)
                .maintenanceKey(dag.maintenanceKey)
                .state(state(dag))
                .operator(operator(dag))
                .startTime(time(dag.startTime))
                .endTime(time(dag.endTime))
                .additionalData(null)
                .nodes(null);
    }

    public DagDetailDTO detailed(DagDetail detail) {
        return summary(detail.dag())
                .additionalData(values(detail.additionalData()))
                .nodes(detail.nodes().stream().map(this::node).toList());
    }

    public NodeDetailDTO node(DagDetail.NodeDetail detail) {
        return new NodeDetailDTO()
                .id(detail.node().genericId())
                .nodeId(detail.node().id)
                .name(detail.node().name)
                .state(state(detail.node()))
                .operator(operator(detail.node()))
                .startTime(time(detail.node().startTime))
                .endTime(time(detail.node().endTime))
                .subTasks(detail.subTasks().stream().map(this::subTask).toList());
    }

    public NodeDetailDTO nodeSummary(DagDetail.NodeDetail detail) {
        return node(detail).subTasks(null);
    }

    public TaskDetailDTO subTask(DagDetail.SubTaskDetail detail) {
        var subTask = detail.subTask();
        List<String> lines = detail.logLines();
        return new TaskDetailDTO()
                .id(subTask.genericId())
                .taskId(subTask.id)
                .name(subTask.name)
                .state(state(subTask))
                .operator(operator(subTask))
                .startTime(time(subTask.startTime))
                .endTime(time(subTask.endTime))
                .additionalData(values(subTask.additionalDataMap()))
                .executeTimes(subTask.executeTimes)
                .executeAgent(executeAgent(AgentAddress.parse(detail.executeAgent())))
                .taskLogs(lines.isEmpty() ? null : lines);
    }

    private static ExecuteAgent executeAgent(AgentAddress agent) {
        return new ExecuteAgent().ip(agent.ip()).port(agent.port());
    }

    public TaskLog log(TaskLogEntity log) {
        return new TaskLog()
                .id(log.id)
                .subTaskId(log.subTaskId)
                .executeTimes(log.executeTimes)
                .logContent(log.logContent)
                .isSync(log.isSync)
                .createTime(log.createTime)
                .updateTime(log.updateTime);
    }

    private static TaskState state(TaskRecordEntity record) {
        return TaskState.fromValue(record.state.name());
    }

    private static TaskOperator operator(TaskRecordEntity record) {
        return TaskOperator.fromValue(record.operator.name());
    }

    private static OffsetDateTime time(OffsetDateTime value) {
        return value == null ? GO_ZERO_TIME : value;
    }

    /** Whole numbers (ids, byte counts) go out as JSON numbers, everything else as strings. */
    private static Map<String, Object> values(Map<String, String> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((key, value) -> out.put(key, value != null && WHOLE_NUMBER.matcher(value).matches()
                ? (Object) Long.valueOf(value) : value));
        return out;
    }
}
