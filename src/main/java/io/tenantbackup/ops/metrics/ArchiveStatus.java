package io.tenantbackup.ops.metrics;

import java.util.OptionalDouble;

/**
 * A tenant's binlog archive as metrics show it: obshell's archive status word (DOING, STOP, INTERRUPTED, ...) and,
 * when known, how far the archive lags behind the tenant, and whether it is written encrypted.
 */
public record ArchiveStatus(String status, OptionalDouble delaySeconds, boolean encrypted) {
}
