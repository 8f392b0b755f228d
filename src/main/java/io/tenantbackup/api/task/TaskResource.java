package io.tenantbackup.api.task;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.TaskApi;
import io.tenantbackup.api.model.DagList;
import io.tenantbackup.api.model.DagOperatorRequest;
import io.tenantbackup.api.model.TaskLogList;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.task.GenericId;
import io.tenantbackup.task.TaskEngine;
import io.tenantbackup.task.TaskQueries;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.util.Set;

public class TaskResource implements TaskApi {

    private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    @Inject
    TaskQueries queries;

    @Inject
    TaskEngine engine;

    @Inject
    TaskDtoMapper mapper;

    @Override
    public Response getDag(String id, String showDetails) {
        long dagId = GenericId.decode(id);
        return Envelopes.ok(showDetails(showDetails) ? mapper.detailed(queries.dag(dagId))
                : mapper.summary(queries.dagSummary(dagId)));
    }

    @Override
    public Response operateDag(String id, DagOperatorRequest request) {
        String operator = request == null || request.getOperator() == null ? "" : request.getOperator();
        engine.operate(GenericId.decode(id), operator);
        return Envelopes.ok();
    }

    @Override
    public Response getNode(String id, String showDetails) {
        var node = queries.node(GenericId.decode(id));
        return Envelopes.ok(showDetails(showDetails) ? mapper.node(node) : mapper.nodeSummary(node));
    }

    @Override
    public Response getSubTask(String id) {
        return Envelopes.ok(mapper.subTask(queries.subTask(GenericId.decode(id))));
    }

    @Override
    public Response getSubTaskLogs(String id) {
        long subTaskId = GenericId.decode(id);
        queries.subTask(subTaskId);
        return Envelopes.ok(new TaskLogList().contents(queries.logs(subTaskId).stream().map(mapper::log).toList()));
    }

    @Override
    public Response listUnfinishedDags(String showDetails) {
        boolean details = showDetails(showDetails);
        return Envelopes.ok(new DagList().contents(queries.unfinishedDags().stream()
                .map(dag -> details ? mapper.detailed(queries.dag(dag.id)) : mapper.summary(dag))
                .toList()));
    }

    /** obshell parses show_details with Go's strconv.ParseBool and defaults to true. */
    private static boolean showDetails(String value) {
        if (value == null || value.isEmpty() || TRUE.contains(value)) {
            return true;
        }
        if (FALSE.contains(value)) {
            return false;
        }
        throw CommonErrors.ILLEGAL_ARGUMENT.exception(
                "show_details must be a boolean (true/false, 1/0, t/f), got '" + value + "'");
    }
}
