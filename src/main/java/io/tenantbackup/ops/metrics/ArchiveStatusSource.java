package io.tenantbackup.ops.metrics;

import java.util.Optional;

/** Where the archive metrics read a tenant's archive state (implemented by the archive domain). */
public interface ArchiveStatusSource {

    /** The archive of the tenant with this catalog id, if anything is known about it. */
    Optional<ArchiveStatus> archiveOf(long tenantId, String tenantName);
}
