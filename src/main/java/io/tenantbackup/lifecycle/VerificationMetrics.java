package io.tenantbackup.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * {@code tenant_backup_last_verify_timestamp_seconds} and {@code tenant_backup_invalid_sets} per tenant, from the
 * stored verification results, refreshed with the other backup gauges rather than read at each scrape.
 */
@ApplicationScoped
public class VerificationMetrics {

    private static final Logger LOG = Logger.getLogger(VerificationMetrics.class);

    private final MultiGauge lastVerify;
    private final MultiGauge invalidSets;

    @Inject
    VerificationStore store;

    @Inject
    public VerificationMetrics(MeterRegistry registry) {
        lastVerify = MultiGauge.builder("tenant_backup.last.verify.timestamp").baseUnit("seconds")
                .description("Unix time of the tenant's latest backup verification").register(registry);
        invalidSets = MultiGauge.builder("tenant_backup.invalid.sets")
                .description("Backup sets the tenant's latest verification found INVALID or MISSING").register(registry);
    }

    @Scheduled(every = "${tenant-backup.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        List<VerificationStore.Summary> summaries;
        try {
            summaries = store.summaries();
        } catch (RuntimeException e) {
            LOG.warnf("Verification metrics keep their last values: cannot read the metadata DB: %s", e.getMessage());
            return;
        }
        lastVerify.register(summaries.stream().<MultiGauge.Row<?>>map(summary -> MultiGauge.Row.of(
                Tags.of("tenant", summary.tenantName()), summary.lastVerifiedAt().toEpochSecond())).toList(), true);
        invalidSets.register(summaries.stream().<MultiGauge.Row<?>>map(summary -> MultiGauge.Row.of(
                Tags.of("tenant", summary.tenantName()), summary.invalidSets())).toList(), true);
    }
}
