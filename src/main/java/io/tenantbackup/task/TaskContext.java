package io.tenantbackup.task;

import java.util.List;
import java.util.Optional;

/** What a running {@link Task} sees of its DAG: parameters, shared results, its log and cancellation. */
public interface TaskContext {

    long dagId();

    String dagName();

    /** A DAG parameter given at creation, or a value {@link #put} by an earlier node. */
    Optional<String> param(String key);

    default String requiredParam(String key) {
        return param(key).orElseThrow(() -> new IllegalStateException(
                "DAG " + dagId() + " (" + dagName() + ") has no parameter '" + key + "'"));
    }

    /** Stores a value for later nodes; it is persisted and shown in the sub-task's additional_data. */
    void put(String key, String value);

    /** Appends a line to this sub-task's persisted log. Never pass secrets. */
    void log(String line);

    /** Appends lines in order, as one write: for a program's output, where a commit per line holds the program up. */
    default void log(List<String> lines) {
        lines.forEach(this::log);
    }

    CancellationSignal cancellation();
}
