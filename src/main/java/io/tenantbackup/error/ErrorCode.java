package io.tenantbackup.error;

/**
 * An obshell error: the HTTP status it answers with, its stable dotted code (the envelope's errCode) and obshell's
 * legacy numeric code (the envelope's {@code error.code}; 0 = omitted). Only authentication errors set the numeric
 * code, and the SDKs' retries key on it (1: re-fetch the public key, 10008: re-authenticate).
 */
public record ErrorCode(int httpStatus, String errCode, int legacyCode) {

    public ErrorCode(int httpStatus, String errCode) {
        this(httpStatus, errCode, 0);
    }

    public ServiceException exception(String message) {
        return new ServiceException(this, message);
    }
}
