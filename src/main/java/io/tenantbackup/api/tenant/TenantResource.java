package io.tenantbackup.api.tenant;

import io.tenantbackup.api.Envelopes;
import io.tenantbackup.api.gen.TenantApi;
import io.tenantbackup.api.model.CreateTenantRequest;
import io.tenantbackup.api.model.DagDetailDTO;
import io.tenantbackup.api.model.TenantList;
import io.tenantbackup.api.task.TaskDtoMapper;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.tenant.CreateTenantCommand;
import io.tenantbackup.tenant.TenantCreation;
import io.tenantbackup.tenant.TenantService;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

public class TenantResource implements TenantApi {

    /** Where the answer to a create request without root_password carries the generated one (see the contract). */
    static final String GENERATED_ROOT_PASSWORD = "root_password";

    @Inject
    TenantService tenants;

    @Inject
    TenantDtoMapper mapper;

    @Inject
    TaskDtoMapper dags;

    @Override
    public Response createTenant(CreateTenantRequest request) {
        if (request == null || request.getName() == null) {
            throw CommonErrors.BIND_JSON_FAILED.exception("Bind JSON failed: 'name' is required");
        }
        TenantCreation created = tenants.create(new CreateTenantCommand(request.getName(),
                request.getRootPassword(), request.getCharset(), request.getCollation(), request.getVariables(),
                oceanBaseOptions(request)));
        DagDetailDTO dag = dags.summary(created.dag());
        created.generatedRootPassword().ifPresent(password ->
                dag.additionalData(Map.of(GENERATED_ROOT_PASSWORD, password)));
        return Envelopes.ok(dag);
    }

    @Override
    public Response getTenant(String name) {
        return Envelopes.ok(mapper.info(tenants.getOfRoute(name), tenants.isUpOfRoute(name)));
    }

    @Override
    public Response listTenants() {
        return Envelopes.ok(new TenantList().contents(tenants.list().stream().map(mapper::overview).toList()));
    }

    @Override
    public Response dropTenant(String name) {
        return Envelopes.ok(dags.summary(tenants.delete(name)));
    }

    /** OceanBase-only fields: accepted and recorded, not applied to a MariaDB instance. */
    private static Map<String, Object> oceanBaseOptions(CreateTenantRequest request) {
        Map<String, Object> options = new LinkedHashMap<>();
        putIfSet(options, "zone_list", request.getZoneList());
        putIfSet(options, "mode", request.getMode());
        putIfSet(options, "primary_zone", request.getPrimaryZone());
        putIfSet(options, "whitelist", request.getWhitelist());
        putIfSet(options, "read_only", request.getReadOnly());
        putIfSet(options, "comment", request.getComment());
        putIfSet(options, "scenario", request.getScenario());
        putIfSet(options, "import_script", request.getImportScript());
        putIfSet(options, "parameters", request.getParameters());
        return options;
    }

    private static void putIfSet(Map<String, Object> options, String key, Object value) {
        if (value != null) {
            options.put(key, value);
        }
    }
}
