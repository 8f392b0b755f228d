package io.tenantbackup.api.backup;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.BackupApi;
import io.tenantbackup.api.model.BackupConfigRequest;
import io.tenantbackup.api.model.BackupInfo;
import io.tenantbackup.api.model.BackupJobPage;
import io.tenantbackup.api.model.BackupOverview;
import io.tenantbackup.api.model.BackupRequest;
import io.tenantbackup.api.model.BackupStatusRequest;
import io.tenantbackup.api.model.BackupStorage;
import io.tenantbackup.api.model.DeletePolicy;
import io.tenantbackup.api.model.PageInfo;
import io.tenantbackup.api.task.TaskDtoMapper;
import io.tenantbackup.api.tenant.ReadsItsRouteTenant;
import io.tenantbackup.archive.ArchiveEncryptionConfig;
import io.tenantbackup.backup.BackupConfigService;
import io.tenantbackup.backup.BackupQueryService;
import io.tenantbackup.backup.BackupService;
import io.tenantbackup.backup.BackupTaskQuery;
import io.tenantbackup.tenant.TenantInstance;
import io.tenantbackup.tenant.TenantService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;

public class BackupResource implements BackupApi {

    @Inject
    TenantService tenants;

    @Inject
    BackupService backups;

    @Inject
    BackupConfigService configs;

    @Inject
    ArchiveEncryptionConfig archiveEncryption;

    @Inject
    BackupQueryService queries;

    @Inject
    BackupDtoMapper mapper;

    @Inject
    TaskDtoMapper dags;

    @Override
    public Response startTenantBackup(String name, BackupRequest request) {
        BackupRequest body = request == null ? new BackupRequest() : request;
        return Envelopes.ok(dags.summary(backups.start(tenant(name), body.getMode(), body.getPlusArchive(),
                body.getEncryption())));
    }

    @Override
    public Response cancelTenantBackup(String name, BackupStatusRequest request) {
        backups.cancel(tenant(name), request == null ? null : request.getStatus());
        return Envelopes.ok();
    }

    @Override
    public Response setBackupConfig(String name, BackupConfigRequest request) {
        return Envelopes.ok(dags.summary(configs.create(tenant(name), mapper.config(request))));
    }

    @Override
    public Response updateBackupConfig(String name, BackupConfigRequest request) {
        return Envelopes.ok(dags.summary(configs.update(tenant(name), mapper.config(request))));
    }

    @Override
    public Response getBackupStorage(String name) {
        var view = configs.storage(tenant(name));
        return Envelopes.ok(new BackupStorage()
                .tenantId(view.tenantId())
                .archiveBaseUri(view.archiveBaseUri())
                .dataBaseUri(view.dataBaseUri())
                .deletePolicy(view.deletePolicy().map(policy -> new DeletePolicy().policy(policy.policy())
                        .recoveryWindow(policy.recoveryWindow())).orElse(null))
                .archiveEncrypted(archiveEncryption.encrypted()));
    }

    /** One statement (tenant check, set and verification summary) in autocommit mode. */
    @Override
    @ReadsItsRouteTenant
    public Response getTenantBackupOverview(String name) {
        BackupQueryService.Overview overview = queries.overview(name);
        return Envelopes.ok(new BackupOverview().status(mapper.task(overview.set()))
                .lastVerification(mapper.lastVerification(overview)));
    }

    @Override
    public Response listTenantBackupTasks(String name, OffsetDateTime startTime, OffsetDateTime endTime,
                                          String status, Integer page, Integer size, String sort) {
        var result = queries.tasks(tenant(name), BackupTaskQuery.of(startTime, endTime, status,
                page == null ? null : page.longValue(), size == null ? null : size.longValue(), sort));
        return Envelopes.ok(new BackupJobPage()
                .contents(result.contents().stream().map(mapper::job).toList())
                .page(new PageInfo()
                        .totalElements(result.totalElements())
                        .totalPages(result.totalPages())
                        .size(result.size())
                        .number(result.number())));
    }

    @Override
    public Response getTenantBackupInfo(String name) {
        var info = queries.info(tenant(name));
        return Envelopes.ok(new BackupInfo()
                .tenantId(info.tenantId())
                .lastestDataBackupTime(info.lastDataBackupTime().orElse(null))
                .lastestArchiveLogCheckpoint(info.archiveCheckpoint().orElse(null))
                .archiveLogDelay(info.archiveDelaySeconds().orElse(null)));
    }

    /** The tenant as the route check of this request read it (TenantRouteFilter). */
    private TenantInstance tenant(String name) {
        return tenants.requireNormalOfRoute(name);
    }
}
