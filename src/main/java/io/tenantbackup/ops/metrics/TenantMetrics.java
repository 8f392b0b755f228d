package io.tenantbackup.ops.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-tenant backup gauges for Prometheus. The database is read at each refresh, not at each scrape, so a scrape
 * costs no query; "seconds since the last completed backup" is still computed at scrape time from the stored end.
 * Gauges of tenants that are gone disappear at the next refresh.
 */
@ApplicationScoped
public class TenantMetrics {

    private static final Logger LOG = Logger.getLogger(TenantMetrics.class);
    private static final String TENANT = "tenant";

    private final MultiGauge up;
    private final MultiGauge sinceLastCompletion;
    private final MultiGauge lastCompletionTimestamp;
    private final MultiGauge lastDuration;
    private final MultiGauge lastSize;
    private final MultiGauge archiveDelay;
    private final MultiGauge archiveStatus;
    private final MultiGauge dags;
    private final MultiGauge failedDags;

    @Inject
    TenantBackupStates states;

    @Inject
    public TenantMetrics(MeterRegistry registry) {
        up = gauge(registry, "tenant_backup.tenant.up", null, "1 when the tenant's mariadbd is running, else 0");
        sinceLastCompletion = gauge(registry, "tenant_backup.since.last.completion", "seconds",
                "Seconds since the end of the tenant's last COMPLETED backup (no sample: never backed up)");
        lastCompletionTimestamp = gauge(registry, "tenant_backup.last.completion.timestamp", "seconds",
                "Unix time at which the tenant's last COMPLETED backup ended");
        lastDuration = gauge(registry, "tenant_backup.last.duration", "seconds",
                "Duration of the tenant's last COMPLETED backup");
        lastSize = gauge(registry, "tenant_backup.last.size", "bytes",
                "Bytes stored by the tenant's last COMPLETED backup");
        archiveDelay = gauge(registry, "tenant_backup.archive.delay", "seconds",
                "How far the tenant's binlog archive lags behind the tenant");
        archiveStatus = gauge(registry, "tenant_backup.archive.status", null,
                "1 for the tenant's current archive status (label status) and encryption (label encrypted)");
        dags = gauge(registry, "tenant_backup.dags", null, "Unfinished DAGs of the tenant by state");
        failedDags = gauge(registry, "tenant_backup.failed.dags", null,
                "FAILED DAGs on record for the tenant (a retried DAG leaves this count)");
    }

    @Scheduled(every = "${tenant-backup.metrics.refresh-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        List<TenantBackupState> tenants;
        try {
            tenants = states.read();
        } catch (RuntimeException e) {
            LOG.warnf("Backup metrics keep their last values: cannot read the metadata DB: %s", e.getMessage());
            return;
        }
        up.register(perTenant(tenants, tenant -> Optional.of(() -> tenant.up() ? 1 : 0)), true);
        sinceLastCompletion.register(perTenant(tenants, tenant -> tenant.lastCompleted()
                .<Supplier<Number>>map(last -> () -> seconds(last.end(), OffsetDateTime.now()))), true);
        lastCompletionTimestamp.register(perTenant(tenants, tenant -> tenant.lastCompleted()
                .<Supplier<Number>>map(last -> () -> last.end().toInstant().toEpochMilli() / 1000.0)), true);
        lastDuration.register(perTenant(tenants, tenant -> tenant.lastCompleted()
                .<Supplier<Number>>map(last -> () -> seconds(last.start(), last.end()))), true);
        lastSize.register(perTenant(tenants, tenant -> tenant.lastCompleted()
                .<Supplier<Number>>map(last -> last::storedBytes)), true);
        archiveDelay.register(perTenant(tenants, tenant -> tenant.archive()
                .filter(archive -> archive.delaySeconds().isPresent())
                .<Supplier<Number>>map(archive -> () -> archive.delaySeconds().getAsDouble())), true);
        failedDags.register(perTenant(tenants, tenant -> Optional.of(tenant::failedDags)), true);

        List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
        List<MultiGauge.Row<?>> dagRows = new ArrayList<>();
        for (TenantBackupState tenant : tenants) {
            tenant.archive().ifPresent(archive -> statusRows.add(MultiGauge.Row.of(
                    Tags.of(TENANT, tenant.name(), "status", archive.status(), "encrypted",
                            String.valueOf(archive.encrypted())), () -> 1)));
            tenant.unfinishedDags().forEach((state, count) -> dagRows.add(MultiGauge.Row.of(
                    Tags.of(TENANT, tenant.name(), "state", state.name()), () -> count)));
        }
        archiveStatus.register(statusRows, true);
        dags.register(dagRows, true);
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String unit, String description) {
        return MultiGauge.builder(name).baseUnit(unit).description(description).register(registry);
    }

    /** One row labelled with the tenant for each tenant that has a value. */
    private static List<MultiGauge.Row<?>> perTenant(List<TenantBackupState> tenants,
                                                     Function<TenantBackupState, Optional<Supplier<Number>>> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (TenantBackupState tenant : tenants) {
            value.apply(tenant).ifPresent(supplier -> rows.add(MultiGauge.Row.of(Tags.of(TENANT, tenant.name()), supplier)));
        }
        return rows;
    }

    private static double seconds(OffsetDateTime from, OffsetDateTime to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
