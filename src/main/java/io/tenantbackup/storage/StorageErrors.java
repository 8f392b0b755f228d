package io.tenantbackup.storage;

import io.tenantbackup.error.ErrorCode;

/**
 * obshell's storage URI codes, plus ours for schemes obshell accepts but this service cannot write yet and for
 * destinations {@link DestinationConfinement} refuses.
 */
public final class StorageErrors {

    public static final ErrorCode URI_INVALID = new ErrorCode(400, "OB.Storage.URI.Invalid");
    public static final ErrorCode URI_NOT_SUPPORTED = new ErrorCode(400, "OB.Storage.URI.NotSupported");
    public static final ErrorCode URI_PROTECTED = new ErrorCode(400, "OB.Storage.URI.Protected");
    public static final ErrorCode URI_NOT_ALLOWED = new ErrorCode(400, "OB.Storage.URI.NotAllowed");

    private StorageErrors() {
    }
}
