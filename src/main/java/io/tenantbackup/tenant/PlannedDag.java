package io.tenantbackup.tenant;

import io.tenantbackup.task.DagTemplate;

import java.util.Map;

/** A tenant operation ready to be submitted to the task engine: its template and its (persisted) parameters. */
public record PlannedDag(DagTemplate template, Map<String, String> params) {
}
