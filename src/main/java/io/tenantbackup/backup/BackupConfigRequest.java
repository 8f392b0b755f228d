package io.tenantbackup.backup;

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

    /** The same change with other destination URIs (their redacted or completed forms). */
    BackupConfigRequest withUris(UnaryOperator<String> uri) {
        return new BackupConfigRequest(uri.apply(dataBaseUri), uri.apply(archiveBaseUri), logArchiveConcurrency,
                haLowThreadScore, binding, pieceSwitchInterval, archiveLagTarget, deletePolicy);
    }
}
