package io.tenantbackup.api.lifecycle;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.LifecycleApi;
import io.tenantbackup.api.model.Verification;
import io.tenantbackup.api.model.VerificationResult;
import io.tenantbackup.api.model.VerifyRequest;
import io.tenantbackup.api.task.TaskDtoMapper;
import io.tenantbackup.lifecycle.ExpiryService;
import io.tenantbackup.lifecycle.Verdict;
import io.tenantbackup.lifecycle.VerificationStore;
import io.tenantbackup.lifecycle.VerifyService;
import io.tenantbackup.tenant.TenantService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.util.Comparator;
import java.util.List;

public class LifecycleResource implements LifecycleApi {

    @Inject
    TenantService tenants;

    @Inject
    ExpiryService expiry;

    @Inject
    VerifyService verify;

    @Inject
    TaskDtoMapper dags;

    @Override
    public Response expireTenantBackups(String name) {
        return Envelopes.ok(dags.summary(expiry.submit(tenants.requireNormal(name))));
    }

    @Override
    public Response verifyTenantBackups(String name, VerifyRequest request) {
        VerifyRequest body = request == null ? new VerifyRequest() : request;
        return Envelopes.ok(dags.summary(verify.submit(tenants.requireNormal(name), body.getBackupSetId(),
                body.getDecryption())));
    }

    @Override
    public Response getTenantBackupVerification(String name) {
        List<VerificationStore.Row> rows = verify.results(tenants.requireNormal(name));
        return Envelopes.ok(new Verification()
                .lastVerifiedAt(rows.stream().map(VerificationStore.Row::verifiedAt).max(Comparator.naturalOrder())
                        .orElseThrow())
                .invalidSets(rows.stream().filter(row -> row.backupSetId() != null)
                        .filter(row -> row.status() == Verdict.Status.INVALID || row.status() == Verdict.Status.MISSING)
                        .count())
                .results(rows.stream().map(row -> new VerificationResult()
                        .subject(row.subject())
                        .backupSetId(row.backupSetId())
                        .status(VerificationResult.StatusEnum.fromValue(row.status().name()))
                        .reason(row.reason())
                        .verifiedAt(row.verifiedAt())).toList()));
    }
}
