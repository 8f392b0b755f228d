package io.tenantbackup.task;

import io.tenantbackup.error.ServiceException;

/** obshell's generic task ids: every DAG, node and sub-task of this service is cluster-wide, i.e. "1" + raw id. */
public final class GenericId {

    private static final String CLUSTER_PREFIX = "1";
    /** Keeps "1" + the id within a long. */
    private static final int MAX_LENGTH = 19;

    private GenericId() {
    }

    public static String encode(long id) {
        return CLUSTER_PREFIX + id;
    }

    public static long decode(String genericId) {
        if (genericId == null || genericId.length() <= CLUSTER_PREFIX.length() || genericId.length() > MAX_LENGTH
                || !genericId.chars().allMatch(c -> c >= '0' && c <= '9') || !genericId.startsWith(CLUSTER_PREFIX)) {
            throw new ServiceException(TaskErrors.GENERIC_ID_INVALID, "Invalid task id: '" + genericId
                    + "'; a task id is '1' followed by the digits of the task");
        }
        return Long.parseLong(genericId.substring(CLUSTER_PREFIX.length()));
    }
}
