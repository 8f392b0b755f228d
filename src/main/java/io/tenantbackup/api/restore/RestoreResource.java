package io.tenantbackup.api.restore;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.RestoreApi;
import io.tenantbackup.api.model.RestoreRequest;
import io.tenantbackup.api.task.TaskDtoMapper;
import io.tenantbackup.restore.RestoreCommand;
import io.tenantbackup.restore.RestoreService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

public class RestoreResource implements RestoreApi {

    @Inject
    RestoreService restores;

    @Inject
    TaskDtoMapper dags;

    @Override
    public Response restoreTenant(RestoreRequest request) {
        return Envelopes.ok(dags.summary(restores.restore(command(request))));
    }

    @Override
    public Response cancelTenantRestore(String name) {
        return restores.cancel(name).map(dag -> Envelopes.ok(dags.summary(dag)))
                .orElseGet(() -> Response.noContent().build());
    }

    private static RestoreCommand command(RestoreRequest request) {
        Map<String, Object> oceanBase = new LinkedHashMap<>();
        putIfSet(oceanBase, "zone_list", request.getZoneList());
        putIfSet(oceanBase, "primary_zone", request.getPrimaryZone());
        putIfSet(oceanBase, "ha_high_thread_score", request.getHaHighThreadScore());
        putIfSet(oceanBase, "kms_encrypt_info", request.getKmsEncryptInfo() == null ? null : "(given, not stored)");
        return new RestoreCommand(request.getDataBackupUri(), request.getRestoreTenantName(), request.getArchiveLogUri(),
                request.getTimestamp(), request.getScn(), request.getDecryption(), request.getConcurrency(), oceanBase);
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
