package io.tenantbackup.crypto;

import java.io.IOException;

/** A stored file does not read back as written: failed authentication, a checksum or size mismatch, or truncation. */
public class CorruptArtifactException extends IOException {

    public CorruptArtifactException(String message) {
        super(message);
    }
}
