package io.tenantbackup.task;

import io.tenantbackup.error.ServiceException;

import java.util.Locale;

/** obshell's DAG operators: RUN is how a DAG starts; the others are what a user may ask of a DAG. */
public enum TaskOperator {
    RUN, RETRY, ROLLBACK, CANCEL, PASS;

    /** Parses a user's operator, case-insensitively; RUN is not something a user can ask for. */
    public static TaskOperator ofUserRequest(String operator, long dagId) {
        String normalized = operator == null ? "" : operator.trim().toUpperCase(Locale.ROOT);
        for (TaskOperator candidate : values()) {
            if (candidate != RUN && candidate.name().equals(normalized)) {
                return candidate;
            }
        }
        throw new ServiceException(TaskErrors.OPERATOR_NOT_SUPPORT, "Operator '" + operator
                + "' is not supported for DAG " + GenericId.encode(dagId) + "; use RETRY, ROLLBACK, CANCEL or PASS");
    }
}
