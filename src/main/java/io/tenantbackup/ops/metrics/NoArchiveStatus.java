package io.tenantbackup.ops.metrics;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Continuous binlog archiving is not implemented yet, so nothing is known about any tenant's archive. */
@DefaultBean
@ApplicationScoped
public class NoArchiveStatus implements ArchiveStatusSource {

    @Override
    public Optional<ArchiveStatus> archiveOf(long tenantId, String tenantName) {
        return Optional.empty();
    }
}
