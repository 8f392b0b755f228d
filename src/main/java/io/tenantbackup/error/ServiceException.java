package io.tenantbackup.error;

/**
 * A request that cannot be served, with the obshell error code to answer. Thrown by validation before anything is
 * changed; the API layer turns it into the error envelope.
 */
public class ServiceException extends RuntimeException {

    private final ErrorCode code;

    public ServiceException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
