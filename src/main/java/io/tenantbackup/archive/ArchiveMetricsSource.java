package io.tenantbackup.archive;

import io.tenantbackup.ops.metrics.ArchiveStatus;
import io.tenantbackup.ops.metrics.ArchiveStatusSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;
import java.util.OptionalDouble;

/** The archive state the metrics export: the status of the tenant's current round, its delay and encryption. */
@ApplicationScoped
public class ArchiveMetricsSource implements ArchiveStatusSource {

    @Inject
    ArchiveLogService archives;
    @Inject
    ArchiveEncryptionConfig encryption;

    @Override
    @Transactional
    public Optional<ArchiveStatus> archiveOf(long tenantId, String tenantName) {
        return archives.current(tenantId).map(round -> new ArchiveStatus(round.status().name(),
                round.delaySeconds().map(OptionalDouble::of).orElse(OptionalDouble.empty()), encryption.encrypted()));
    }
}
