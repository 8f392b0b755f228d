package io.tenantbackup.cluster;

import io.tenantbackup.backup.BackupQueryService;
import io.tenantbackup.backup.BackupSet;
import io.tenantbackup.error.CommonErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/** {@code GET /api/v1/obcluster/backup/overview}: each tenant's running or latest set, as its tenant overview shows it. */
@ApplicationScoped
public class ClusterBackupQueries {

    @Inject
    ClusterTenants tenants;

    @Inject
    BackupQueryService queries;

    /** One set per tenant that has one; none at all → 404 Common.NotFound "Element not found: backup task". */
    public List<BackupSet> overview() {
        List<BackupSet> sets = tenants.all().stream().map(queries::latest).flatMap(Optional::stream).toList();
        if (sets.isEmpty()) {
            throw CommonErrors.NOT_FOUND.exception("Element not found: backup task");
        }
        return sets;
    }
}
