package io.tenantbackup.api.cluster;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.backup.BackupDtoMapper;
import io.tenantbackup.api.gen.ClusterBackupApi;
import io.tenantbackup.api.model.ArchiveLogStatusRequest;
import io.tenantbackup.api.model.BackupRequest;
import io.tenantbackup.api.model.BackupStatusRequest;
import io.tenantbackup.api.model.ClusterBackupConfigRequest;
import io.tenantbackup.api.model.ClusterBackupOverview;
import io.tenantbackup.api.task.TaskDtoMapper;
import io.tenantbackup.backup.BackupConfigRequest;
import io.tenantbackup.cluster.ClusterArchiveLogService;
import io.tenantbackup.cluster.ClusterBackupConfigService;
import io.tenantbackup.cluster.ClusterBackupQueries;
import io.tenantbackup.cluster.ClusterBackupService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

public class ClusterBackupResource implements ClusterBackupApi {

    @Inject
    ClusterBackupConfigService configs;

    @Inject
    ClusterBackupService backups;

    @Inject
    ClusterArchiveLogService archive;

    @Inject
    ClusterBackupQueries queries;

    @Inject
    BackupDtoMapper mapper;

    @Inject
    TaskDtoMapper dags;

    @Override
    public Response setClusterBackupConfig(ClusterBackupConfigRequest request) {
        return Envelopes.ok(dags.summary(configs.create(config(request))));
    }

    @Override
    public Response updateClusterBackupConfig(ClusterBackupConfigRequest request) {
        return Envelopes.ok(dags.summary(configs.update(config(request))));
    }

    @Override
    public Response startClusterBackup(BackupRequest request) {
        BackupRequest body = request == null ? new BackupRequest() : request;
        return Envelopes.ok(dags.summary(backups.start(body.getMode(), body.getPlusArchive(), body.getEncryption())));
    }

    @Override
    public Response cancelClusterBackup(BackupStatusRequest request) {
        backups.cancel(request == null ? null : request.getStatus());
        return Envelopes.ok();
    }

    @Override
    public Response setClusterArchiveLogStatus(ArchiveLogStatusRequest request) {
        archive.setStatus(request == null ? null : request.getStatus());
        return Envelopes.ok();
    }

    @Override
    public Response getClusterBackupOverview() {
        return Envelopes.ok(new ClusterBackupOverview().statuses(queries.overview().stream().map(mapper::task).toList()));
    }

    private static ClusterBackupConfigService.ClusterConfigRequest config(ClusterBackupConfigRequest body) {
        ClusterBackupConfigRequest request = body == null ? new ClusterBackupConfigRequest() : body;
        var policy = request.getDeletePolicy() == null ? null : new BackupConfigRequest.DeletePolicy(
                request.getDeletePolicy().getPolicy(), request.getDeletePolicy().getRecoveryWindow());
        return new ClusterBackupConfigService.ClusterConfigRequest(request.getBackupBaseUri(),
                request.getLogArchiveConcurrency(), request.getHaLowThreadScore(), request.getBinding(),
                request.getPieceSwitchInterval(), request.getArchiveLagTarget(), policy);
    }
}
