package io.tenantbackup.task;

import java.util.Map;

/**
 * Creates a persisted DAG from a template and its parameters and returns the DAG id. Domain services receive it
 * from the caller so that validation, bookkeeping and DAG creation happen in one transaction.
 */
@FunctionalInterface
public interface DagSubmitter {

    long submit(DagTemplate template, Map<String, String> params);
}
