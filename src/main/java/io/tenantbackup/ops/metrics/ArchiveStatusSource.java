package io.tenantbackup.ops.metrics;

import java.util.Optional;

/**
 * Where the archive metrics come from. The archive domain provides the real implementation (a bean of this type
 * replaces {@link NoArchiveStatus}); until then no archive samples are exposed rather than made-up ones.
 */
public interface ArchiveStatusSource {

    /** The archive of the tenant with this catalog id, if anything is known about it. */
    Optional<ArchiveStatus> archiveOf(long tenantId, String tenantName);
}
