package io.tenantbackup.task;

/**
 * The typed result one node hands on to the later nodes of its DAG, under {@code name} in the DAG's outputs. Kept
 * apart from the request parameters, which nodes only read (as obshell's task context keeps Params apart from Data).
 */
public record NodeOutput<T>(String name, Class<T> type) {

    public static <T> NodeOutput<T> named(String name, Class<T> type) {
        return new NodeOutput<>(name, type);
    }
}
