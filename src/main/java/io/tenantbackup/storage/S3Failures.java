package io.tenantbackup.storage;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.UnknownHostException;
import java.util.Set;

/**
 * Turns an AWS SDK failure into a {@link StorageException} that says what failed in words a user can act on, and
 * whether trying again may help: 5xx, 429, throttling and lost connections are transient; missing buckets, denied
 * access, wrong keys and unknown hosts are permanent; a missing object is {@link StorageNotFoundException}.
 * Messages never carry the access key or id: only the redacted URI and the server's error code and message.
 */
final class S3Failures {

    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "RequestTimeout", "InternalError",
            "ServiceUnavailable", "Throttling", "ThrottlingException", "RequestTimeTooSkewed");
    private static final Set<String> WRONG_CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "AuthorizationHeaderMalformed", "InvalidToken");

    private S3Failures() {
    }

    static StorageException of(String action, String name, ObjectUri location, StorageUri uri, SdkException e) {
        String where = "Cannot " + action + (name.isEmpty() ? "" : " '" + name + "'") + " in " + uri;
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            String serverSays = "HTTP " + status + (code == null || code.isEmpty() ? "" : " " + code) + ": "
                    + serverMessage(s3);
            if ("NoSuchBucket".equals(code)) {
                return new StorageException(where + " (bucket '" + location.bucket() + "' does not exist at "
                        + endpointOf(location) + "; " + serverSays + ")", false, e);
            }
            if (status == 404) {
                return new StorageNotFoundException(where + " (no such object; " + serverSays + ")", e);
            }
            if (WRONG_CREDENTIALS.contains(code)) {
                return new StorageException(where + " (the server refused the credentials: access_id or access_key"
                        + " is wrong; " + serverSays + ")", false, e);
            }
            if (status == 403) {
                return new StorageException(where + " (access denied; " + serverSays + ")", false, e);
            }
            boolean retry = status >= 500 || status == 429 || status == 408 || TRANSIENT_CODES.contains(code);
            return new StorageException(where + " (" + serverSays + ")", retry, e);
        }
        if (hasCause(e, UnknownHostException.class)) {
            return new StorageException(where + " (unknown host " + endpointOf(location) + ")", false, e);
        }
        boolean retry = e instanceof SdkClientException || e.retryable();
        return new StorageException(where + " (" + e.getMessage() + ")", retry, e);
    }

    private static String serverMessage(S3Exception e) {
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return message == null || message.isEmpty() ? "no message" : message;
    }

    private static String endpointOf(ObjectUri location) {
        return location.region().isEmpty() ? location.host() : "AWS S3 region " + location.region();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
