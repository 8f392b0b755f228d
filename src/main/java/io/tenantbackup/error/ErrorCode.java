package io.tenantbackup.error;

/** An obshell error: the HTTP status it answers with and its stable dotted code (the envelope's errCode). */
public record ErrorCode(int httpStatus, String errCode) {

    public ServiceException exception(String message) {
        return new ServiceException(this, message);
    }
}
