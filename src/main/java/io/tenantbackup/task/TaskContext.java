package io.tenantbackup.task;

import java.util.List;
import java.util.Optional;

/**
 * What a running {@link Task} sees of its DAG: the request parameters (given at creation, read-only), the typed
 * outputs of earlier nodes, the figures it shows, its log and cancellation.
 */
public interface TaskContext {

    long dagId();

    String dagName();

    /** A DAG parameter given at creation, or a value {@link #put} by an earlier node. */
    Optional<String> param(String key);

    default String requiredParam(String key) {
        return param(key).orElseThrow(() -> new IllegalStateException(
                "DAG " + dagId() + " (" + dagName() + ") has no parameter '" + key + "'"));
    }

    /**
     * Stores a string for later nodes among the parameters and shows it in the sub-task's additional_data. The way of
     * the DAG kinds not yet moved to {@link #publish}; a new node hands its result on with {@link #publish}.
     */
    void put(String key, String value);

    /** Hands this node's result on to later nodes as one typed value; persisted, not shown in additional_data. */
    <T> void publish(NodeOutput<T> output, T value);

    /** The value an earlier node {@link #publish published}; empty when none did. */
    <T> Optional<T> output(NodeOutput<T> output);

    /** Shows a figure (e.g. live progress) in this sub-task's additional_data; later nodes do not read it. */
    void show(String key, String value);

    /** Appends a line to this sub-task's persisted log. Never pass secrets. */
    void log(String line);

    /** Appends lines in order, as one write: for a program's output, where a commit per line holds the program up. */
    default void log(List<String> lines) {
        lines.forEach(this::log);
    }

    CancellationSignal cancellation();
}
