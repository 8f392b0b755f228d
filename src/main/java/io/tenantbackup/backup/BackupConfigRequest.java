package io.tenantbackup.backup;

import io.tenantbackup.storage.StorageUri;

import java.util.function.UnaryOperator;

/**
 * The body of POST/PATCH /api/v1/tenant/{name}/backup/config. Every member may be null (= not given); the
 * validator returns a normalized copy (upper-cased binding, lower-cased lag target and policy, defaults filled).
 */
public record BackupConfigRequest(String dataBaseUri, String archiveBaseUri, Integer logArchiveConcurrency,
                                  Integer haLowThreadScore, String binding, String pieceSwitchInterval,
                                  String archiveLagTarget, DeletePolicy deletePolicy) {

    public record DeletePolicy(String policy, String recoveryWindow) {
    }

    /** Without the destinations' keys: a record's default text would print them. */
    @Override
    public String toString() {
        return "BackupConfigRequest[data_base_uri=" + StorageUri.shown(dataBaseUri) + ", archive_base_uri=" + StorageUri.shown(archiveBaseUri)
                + ", log_archive_concurrency=" + logArchiveConcurrency + ", ha_low_thread_score=" + haLowThreadScore
                + ", binding=" + binding + ", piece_switch_interval=" + pieceSwitchInterval + ", archive_lag_target="
                + archiveLagTarget + ", delete_policy=" + deletePolicy + "]";
    }

    /** The same change with other destination URIs (their redacted or completed forms). */
    BackupConfigRequest withUris(UnaryOperator<String> uri) {
        return new BackupConfigRequest(uri.apply(dataBaseUri), uri.apply(archiveBaseUri), logArchiveConcurrency,
                haLowThreadScore, binding, pieceSwitchInterval, archiveLagTarget, deletePolicy);
    }
}
