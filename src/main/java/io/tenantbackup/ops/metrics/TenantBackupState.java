package io.tenantbackup.ops.metrics;

import io.tenantbackup.task.TaskState;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;

/** What the metrics show of one NORMAL tenant, read at one refresh. */
record TenantBackupState(String name, boolean up, Optional<LastBackup> lastCompleted,
                         Map<TaskState, Long> unfinishedDags, long failedDags, Optional<ArchiveStatus> archive) {

    /** The last COMPLETED backup set: when it ended, how long it took, how many bytes it stored. */
    record LastBackup(OffsetDateTime start, OffsetDateTime end, long storedBytes) {
    }
}
