package io.tenantbackup.backup;

import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.storage.StorageUri;

import java.time.Duration;
import java.util.Locale;

/**
 * obshell's rules for a tenant's backup config (executor/ob/backup_tenant.go, param/backup.go), checked in obshell's
 * order; the first broken rule is reported.
 * <ol>
 * <li>POST only: {@code data_base_uri} null or "" → OB.Backup.DataBaseUriEmpty; then {@code archive_base_uri} null
 * or "" → OB.Backup.ArchiveBaseUriEmpty.</li>
 * <li>PATCH only: when {@code archive_base_uri} is null or "", a non-empty {@code binding} and then a non-empty
 * {@code piece_switch_interval} → OB.Backup.ArchiveBaseUriEmpty ("If binding is set, archive_base_uri must be
 * set").</li>
 * <li>{@code log_archive_concurrency} outside 0..100 → OB.Backup.LogArchiveConcurrency.Invalid.</li>
 * <li>{@code ha_low_thread_score} outside 0..100 → OB.Backup.HaLowThreadScore.Invalid.</li>
 * <li>{@code binding} upper-cased, "" becomes OPTIONAL; not OPTIONAL/MANDATORY → OB.Backup.Binding.Invalid.</li>
 * <li>{@code piece_switch_interval}, if not "": {@link TimeDurations} syntax (Common.InvalidTimeDuration), then
 * outside 1d..7d inclusive → OB.Backup.PieceSwitchInterval.Invalid.</li>
 * <li>{@code delete_policy.policy}: "" becomes {@code default}, otherwise lower-cased; not {@code default} or
 * {@code none} → OB.Backup.DeletePolicy.Invalid. For {@code default}, {@code recovery_window} is required and must be a
 * {@link TimeDurations} duration (Common.InvalidTimeDuration; obshell does not check it); {@code none} (ours: obshell
 * has no way to remove a policy) removes the stored policy and ignores the window.</li>
 * <li>URIs, archive first, then data, each only if not "": {@link StorageUri#parse} (OB.Storage.URI.Invalid with
 * obshell's reason).</li>
 * <li>{@code archive_lag_target}, lower-cased, when not "": duration syntax, then less than 1s or more than 2h →
 * OB.Backup.ArchiveLagTarget.Invalid, then below 1m for an {@code s3://} archive in the same request →
 * OB.Backup.ArchiveLagTargetForS3.Invalid. The 1s minimum and the check without an {@code archive_base_uri} are
 * ours: obshell checks the lag only with an {@code archive_base_uri} in the same request and has no minimum but
 * s3's 1m, so a PATCH of 1ns alone was stored, and each lag target elapsed costs the archiver a FLUSH BINARY LOGS.</li>
 * </ol>
 * Nothing is checked against the stored config: a PATCH only changes the members it carries.
 */
public final class BackupConfigValidator {

    static final String BINDING_OPTIONAL = "OPTIONAL";
    static final String BINDING_MANDATORY = "MANDATORY";
    public static final String DELETE_POLICY_DEFAULT = "default";
    public static final String DELETE_POLICY_NONE = "none";
    private static final Duration PIECE_SWITCH_MIN = Duration.ofDays(1);
    private static final Duration PIECE_SWITCH_MAX = Duration.ofDays(7);
    private static final Duration ARCHIVE_LAG_MIN = Duration.ofSeconds(1);
    private static final Duration ARCHIVE_LAG_MAX = Duration.ofHours(2);
    private static final Duration ARCHIVE_LAG_MIN_S3 = Duration.ofMinutes(1);

    private BackupConfigValidator() {
    }

    /** Rules for POST: both destinations are required. */
    public static BackupConfigRequest forCreate(BackupConfigRequest request) {
        if (isEmpty(request.dataBaseUri())) {
            throw BackupErrors.DATA_BASE_URI_EMPTY.exception("data_base_uri is empty");
        }
        if (isEmpty(request.archiveBaseUri())) {
            throw BackupErrors.ARCHIVE_BASE_URI_EMPTY.exception("archive_base_uri is empty");
        }
        return common(request);
    }

    /** Rules for PATCH: archive settings need the archive destination in the same request. */
    public static BackupConfigRequest forUpdate(BackupConfigRequest request) {
        if (isEmpty(request.archiveBaseUri())) {
            if (!isEmpty(request.binding())) {
                throw BackupErrors.ARCHIVE_BASE_URI_EMPTY.exception("If binding is set, archive_base_uri must be set");
            }
            if (!isEmpty(request.pieceSwitchInterval())) {
                throw BackupErrors.ARCHIVE_BASE_URI_EMPTY.exception(
                        "If piece_switch_interval is set, archive_base_uri must be set");
            }
        }
        return common(request);
    }

    private static BackupConfigRequest common(BackupConfigRequest request) {
        requireRange(request.logArchiveConcurrency(), "log_archive_concurrency", BackupErrors.LOG_ARCHIVE_CONCURRENCY_INVALID);
        requireRange(request.haLowThreadScore(), "ha_low_thread_score", BackupErrors.HA_LOW_THREAD_SCORE_INVALID);
        String binding = normalizedBinding(request.binding());
        requirePieceSwitchInterval(request.pieceSwitchInterval());
        BackupConfigRequest.DeletePolicy deletePolicy = normalizedDeletePolicy(request.deletePolicy());
        StorageUri archive = isEmpty(request.archiveBaseUri()) ? null : StorageUri.parse(request.archiveBaseUri());
        if (!isEmpty(request.dataBaseUri())) {
            StorageUri.parse(request.dataBaseUri());
        }
        String lag = request.archiveLagTarget() == null ? null : request.archiveLagTarget().toLowerCase(Locale.ROOT);
        if (!isEmpty(lag)) {
            requireArchiveLag(lag, archive);
        }
        return new BackupConfigRequest(request.dataBaseUri(), request.archiveBaseUri(), request.logArchiveConcurrency(),
                request.haLowThreadScore(), binding, request.pieceSwitchInterval(), lag, deletePolicy);
    }

    private static void requireArchiveLag(String lag, StorageUri archive) {
        Duration value = TimeDurations.parse("archive_lag_target", lag);
        if (value.compareTo(ARCHIVE_LAG_MIN) < 0 || value.compareTo(ARCHIVE_LAG_MAX) > 0) {
            throw BackupErrors.ARCHIVE_LAG_TARGET_INVALID.exception(
                    "archive_lag_target " + lag + " is invalid, it must be between 1s and 2h");
        }
        if (archive != null && archive.scheme().equals("s3") && value.compareTo(ARCHIVE_LAG_MIN_S3) < 0) {
            throw BackupErrors.ARCHIVE_LAG_TARGET_FOR_S3_INVALID.exception(
                    "archive_lag_target " + lag + " is invalid for s3, it must be at least 1m");
        }
    }

    private static void requireRange(Integer value, String field, ErrorCode code) {
        if (value != null && (value < 0 || value > 100)) {
            throw code.exception(field + " " + value + " is invalid, it must be between 0 and 100");
        }
    }

    private static String normalizedBinding(String binding) {
        if (binding == null) {
            return null;
        }
        String upper = binding.isEmpty() ? BINDING_OPTIONAL : binding.toUpperCase(Locale.ROOT);
        if (!upper.equals(BINDING_OPTIONAL) && !upper.equals(BINDING_MANDATORY)) {
            throw BackupErrors.BINDING_INVALID.exception(
                    "binding " + upper + " is invalid, it must be " + BINDING_OPTIONAL + " or " + BINDING_MANDATORY);
        }
        return upper;
    }

    private static void requirePieceSwitchInterval(String interval) {
        if (isEmpty(interval)) {
            return;
        }
        Duration value = TimeDurations.parse("piece_switch_interval", interval);
        if (value.compareTo(PIECE_SWITCH_MIN) < 0 || value.compareTo(PIECE_SWITCH_MAX) > 0) {
            throw BackupErrors.PIECE_SWITCH_INTERVAL_INVALID.exception(
                    "piece_switch_interval " + interval + " is invalid, it must be between 1d and 7d");
        }
    }

    private static BackupConfigRequest.DeletePolicy normalizedDeletePolicy(BackupConfigRequest.DeletePolicy policy) {
        if (policy == null) {
            return null;
        }
        String name = isEmpty(policy.policy()) ? DELETE_POLICY_DEFAULT : policy.policy().toLowerCase(Locale.ROOT);
        if (name.equals(DELETE_POLICY_NONE)) {
            return new BackupConfigRequest.DeletePolicy(name, null);
        }
        if (!name.equals(DELETE_POLICY_DEFAULT)) {
            throw BackupErrors.DELETE_POLICY_INVALID.exception("delete_policy " + name + " is invalid, it must be "
                    + DELETE_POLICY_DEFAULT + " (or " + DELETE_POLICY_NONE + " to remove the policy)");
        }
        if (isEmpty(policy.recoveryWindow())) {
            throw CommonErrors.INVALID_TIME_DURATION.exception("delete_policy.recovery_window is required with policy "
                    + DELETE_POLICY_DEFAULT + ", e.g. 7d: backups older than needed to restore any point of that window"
                    + " are deleted");
        }
        String window = policy.recoveryWindow().toLowerCase(Locale.ROOT);
        TimeDurations.parse("delete_policy.recovery_window", window);
        return new BackupConfigRequest.DeletePolicy(name, window);
    }

    static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
