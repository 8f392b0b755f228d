package io.tenantbackup.ops.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

import java.util.Arrays;

/**
 * Ready only when the metadata schema is the one this build expects: every migration applied, none failed. The
 * datasource check that SmallRye Health adds by itself covers "the metadata DB answers".
 */
@Readiness
@ApplicationScoped
public class MigrationsHealthCheck implements HealthCheck {

    @Inject
    Flyway flyway;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Metadata schema migrations");
        try {
            MigrationInfoService info = flyway.info();
            long pending = info.pending().length;
            long failed = Arrays.stream(info.all()).map(MigrationInfo::getState).filter(MigrationState::isFailed).count();
            MigrationInfo current = info.current();
            return response.status(pending == 0 && failed == 0)
                    .withData("schema_version", current == null ? "none" : current.getVersion().getVersion())
                    .withData("pending", pending)
                    .withData("failed", failed)
                    .build();
        } catch (RuntimeException e) {
            return response.down().withData("error", "cannot read the schema history: " + e.getMessage()).build();
        }
    }
}
