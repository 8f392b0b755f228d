package io.tenantbackup.auth;

import io.tenantbackup.error.ErrorCode;

/** obshell's authentication errors (§4.2 of the wire contract) and the two our hardening adds, in its style. */
final class AuthErrors {

    /** Legacy code 1 makes the SDKs fetch the public key again: every header decoding failure answers it. */
    static final int DECRYPT = 1;
    static final int UNAUTHORIZED = 10008;

    static final ErrorCode HEADER_NOT_FOUND = new ErrorCode(400, "Request.Header.NotFound");
    static final ErrorCode HEADER_DECRYPT_FAILED =
            new ErrorCode(401, "Security.Authentication.Header.DecryptFailed", DECRYPT);
    static final ErrorCode URI_MISMATCH = new ErrorCode(401, "Security.Authentication.Header.UriMismatch", UNAUTHORIZED);
    static final ErrorCode TIMESTAMP_INVALID =
            new ErrorCode(401, "Security.Authentication.Timestamp.Invalid", UNAUTHORIZED);
    static final ErrorCode EXPIRED = new ErrorCode(401, "Security.Authentication.Expired", UNAUTHORIZED);
    static final ErrorCode INCORRECT_PASSWORD =
            new ErrorCode(401, "Security.Authentication.IncorrectOceanbasePassword", UNAUTHORIZED);
    static final ErrorCode INCORRECT_AGENT_PASSWORD =
            new ErrorCode(401, "Security.Authentication.IncorrectAgentPassword", UNAUTHORIZED);
    static final ErrorCode REPLAYED = new ErrorCode(401, "Security.Authentication.Replayed", UNAUTHORIZED);
    static final ErrorCode BODY_DECRYPT_FAILED = new ErrorCode(401, "Common.Unauthorized", UNAUTHORIZED);

    private AuthErrors() {
    }
}
