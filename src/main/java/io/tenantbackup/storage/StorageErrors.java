package io.tenantbackup.storage;

import io.tenantbackup.error.ErrorCode;

/** obshell's storage URI codes, plus ours for schemes obshell accepts but this service cannot write yet. */
public final class StorageErrors {

    public static final ErrorCode URI_INVALID = new ErrorCode(400, "OB.Storage.URI.Invalid");
    public static final ErrorCode URI_NOT_SUPPORTED = new ErrorCode(400, "OB.Storage.URI.NotSupported");

    private StorageErrors() {
    }
}
