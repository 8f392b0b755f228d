package io.tenantbackup.backup;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/** A tenant's backup destinations and archive settings, as last set through the config DAG. */
@Entity
@Table(name = "backup_config")
public class BackupConfig extends PanacheEntityBase {

    @Id
    @Column(name = "tenant_id")
    public Long tenantId;

    @Column(name = "tenant_name", nullable = false)
    public String tenantName;

    @Column(name = "data_base_uri")
    public String dataBaseUri;

    @Column(name = "archive_base_uri")
    public String archiveBaseUri;

    @Column(name = "log_archive_concurrency")
    public Integer logArchiveConcurrency;

    @Column(name = "ha_low_thread_score")
    public Integer haLowThreadScore;

    @Column(name = "binding")
    public String binding;

    @Column(name = "piece_switch_interval")
    public String pieceSwitchInterval;

    @Column(name = "archive_lag_target")
    public String archiveLagTarget;

    @Column(name = "delete_policy")
    public String deletePolicy;

    @Column(name = "delete_recovery_window")
    public String deleteRecoveryWindow;

    /** The recovery window of the delete policy, or empty when the tenant has none. */
    public Optional<Duration> recoveryWindow() {
        return deletePolicy == null || deleteRecoveryWindow == null ? Optional.empty()
                : Optional.of(TimeDurations.parse("delete_policy.recovery_window", deleteRecoveryWindow));
    }

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Copies the members a validated request carries; absent (null) members keep their stored value. */
    void apply(BackupConfigRequest change) {
        dataBaseUri = keep(dataBaseUri, change.dataBaseUri());
        archiveBaseUri = keep(archiveBaseUri, change.archiveBaseUri());
        logArchiveConcurrency = change.logArchiveConcurrency() != null ? change.logArchiveConcurrency() : logArchiveConcurrency;
        haLowThreadScore = change.haLowThreadScore() != null ? change.haLowThreadScore() : haLowThreadScore;
        binding = keep(binding, change.binding());
        pieceSwitchInterval = keep(pieceSwitchInterval, change.pieceSwitchInterval());
        archiveLagTarget = keep(archiveLagTarget, change.archiveLagTarget());
        if (change.deletePolicy() != null) {
            boolean removed = BackupConfigValidator.DELETE_POLICY_NONE.equals(change.deletePolicy().policy());
            deletePolicy = removed ? null : change.deletePolicy().policy();
            deleteRecoveryWindow = removed ? null : change.deletePolicy().recoveryWindow();
        }
        updatedAt = OffsetDateTime.now();
    }

    /** obshell treats "" like an absent member: it never clears a destination. */
    private static String keep(String stored, String given) {
        return given == null || given.isEmpty() ? stored : given;
    }
}
