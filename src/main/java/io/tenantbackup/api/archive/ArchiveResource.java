package io.tenantbackup.api.archive;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.ArchiveApi;
import io.tenantbackup.api.model.ArchiveLogStatusRequest;
import io.tenantbackup.api.model.ArchiveLogTask;
import io.tenantbackup.api.model.ArchiveLogTaskList;
import io.tenantbackup.archive.ArchiveLogService;
import io.tenantbackup.tenant.TenantService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

public class ArchiveResource implements ArchiveApi {

    @Inject
    TenantService tenants;

    @Inject
    ArchiveLogService archive;

    @Override
    public Response setArchiveLogStatus(String name, ArchiveLogStatusRequest request) {
        archive.setStatus(tenants.requireNormal(name), request == null ? null : request.getStatus());
        return Envelopes.ok();
    }

    @Override
    public Response listArchiveLogTasks(String name) {
        return Envelopes.ok(new ArchiveLogTaskList().contents(archive.rounds(tenants.requireNormal(name)).stream()
                .map(ArchiveResource::task).toList()));
    }

    private static ArchiveLogTask task(ArchiveLogService.ArchiveRound round) {
        return new ArchiveLogTask()
                .tenantId(round.tenantId())
                .tenantName(round.tenantName())
                .roundId(round.roundId())
                .status(ArchiveLogTask.StatusEnum.fromValue(round.status().name()))
                .path(round.path())
                .delay(round.delaySeconds().orElse(null))
                .checkpoint(round.checkpoint().orElse(null))
                .startTime(round.startTime())
                .comment(round.comment().orElse(null));
    }
}
