package io.tenantbackup.error;

/** obshell's generic error codes. Domain-specific codes live next to their domain (e.g. BackupErrors). */
public final class CommonErrors {

    public static final ErrorCode BIND_JSON_FAILED = new ErrorCode(400, "Common.BindJsonFailed");
    public static final ErrorCode ILLEGAL_ARGUMENT = new ErrorCode(400, "Common.IllegalArgument");
    public static final ErrorCode INVALID_TIME_DURATION = new ErrorCode(400, "Common.InvalidTimeDuration");
    public static final ErrorCode NOT_FOUND = new ErrorCode(404, "Common.NotFound");
    public static final ErrorCode UNEXPECTED = new ErrorCode(500, "Common.Unexpected");

    private CommonErrors() {
    }
}
