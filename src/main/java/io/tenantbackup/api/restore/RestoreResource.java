package io.tenantbackup.api.restore;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.RestoreApi;
import io.tenantbackup.api.model.RestoreGap;
import io.tenantbackup.api.model.RestoreOverview;
import io.tenantbackup.api.model.RestoreRequest;
import io.tenantbackup.api.model.RestoreWindow;
import io.tenantbackup.api.model.RestoreWindowsRequest;
import io.tenantbackup.api.task.TaskDtoMapper;
import io.tenantbackup.restore.RestoreCommand;
import io.tenantbackup.restore.RestoreService;
import io.tenantbackup.restore.RestoreStatus;
import io.tenantbackup.restore.RestoreWindows;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

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

    @Override
    public Response getTenantRestoreOverview(String name) {
        RestoreStatus status = restores.overview(name);
        return Envelopes.ok(new RestoreOverview()
                .tenantId(status.tenantId())
                .jobId(status.jobId())
                .restoreTenantId(status.tenantId())
                .backupTenantId(status.backupTenantId())
                .restoreScn(status.restoreScn())
                .tabletCount(0L)
                .finishTabletCount(0L)
                .totalBytes(status.totalBytes())
                .finishBytes(status.finishBytes())
                .recoverScn(status.recoverScn())
                .restoreTenantName(status.restoreTenantName())
                .backupTenantName(status.backupTenantName())
                .backupClusterName("")
                .restoreOption(status.restoreOption())
                .restoreScnDisplay(status.restorePoint())
                .status(RestoreOverview.StatusEnum.fromValue(status.status()))
                .startTimestamp(text(status.startTime()))
                .backupSetList(status.backupSetList())
                .backupPieceList("")
                .backupDataUri(status.backupDataUri())
                .backupLogUri(status.backupLogUri())
                .totalBytesDisplay(status.totalBytes() + " B")
                .finishBytesDisplay(status.finishBytes() + " B")
                .description(status.description())
                .recoverScnDisplay(status.recoverGtid())
                .recoverProgress(status.recoverPercent() + "%")
                .restoreProgress(percent(status.finishBytes(), status.totalBytes()))
                .comment(status.comment())
                .finishTimestamp(text(status.finishTime()))
                .backupClusterVersion(0)
                .lsCount(0)
                .finishLsCount(0));
    }

    @Override
    public Response getRestoreWindows(String dataBackupUri, String archiveLogUri, RestoreWindowsRequest body) {
        RestoreWindows.Result result = body != null && body.getDataBackupUri() != null
                ? restores.windows(body.getDataBackupUri(), body.getArchiveLogUri(), body.getDecryption())
                : restores.windows(dataBackupUri, archiveLogUri, body == null ? null : body.getDecryption());
        return Envelopes.ok(new io.tenantbackup.api.model.RestoreWindows()
                .restoreWindows(result.windows().stream().map(window -> new RestoreWindow()
                        .startTime(utc(window.start())).endTime(utc(window.end()))).toList())
                .gaps(result.gaps().stream().map(gap -> new RestoreGap()
                        .startTime(utc(gap.start())).endTime(utc(gap.end())).reason(gap.reason())).toList()));
    }

    private static OffsetDateTime utc(Instant time) {
        return time.atOffset(ZoneOffset.UTC);
    }

    private static String text(OffsetDateTime time) {
        return time == null ? "" : time.toString();
    }

    private static String percent(long done, long total) {
        return total <= 0 ? "0%" : Math.min(100, done * 100 / total) + "%";
    }

    private static RestoreCommand command(RestoreRequest request) {
        Map<String, Object> oceanBase = new LinkedHashMap<>();
        putIfSet(oceanBase, "zone_list", request.getZoneList());
        putIfSet(oceanBase, "primary_zone", request.getPrimaryZone());
        putIfSet(oceanBase, RestoreService.HA_HIGH_THREAD_SCORE, request.getHaHighThreadScore());
        putIfSet(oceanBase, "kms_encrypt_info", request.getKmsEncryptInfo() == null ? null : "(given, not stored)");
        return new RestoreCommand(request.getDataBackupUri(), request.getRestoreTenantName(), request.getArchiveLogUri(),
                request.getTimestamp(), request.getScn(), passwords(request), request.getConcurrency(), oceanBase);
    }

    /**
     * Python sends {@code decryption: [..]}, Go one password per backup type; the type is not trusted (a chain may mix
     * passwords freely), so every given password is tried on every encrypted set, each once.
     */
    private static List<String> passwords(RestoreRequest request) {
        Set<String> candidates = new LinkedHashSet<>();
        if (request.getDecryption() != null) {
            candidates.addAll(request.getDecryption());
        }
        Stream.of(request.getFullBackupDecryption(), request.getIncBackupDecryption())
                .filter(Objects::nonNull).forEach(candidates::add);
        candidates.removeIf(password -> password == null || password.isEmpty());
        return List.copyOf(candidates);
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
