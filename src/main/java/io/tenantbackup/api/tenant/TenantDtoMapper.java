package io.tenantbackup.api.tenant;

import io.tenantbackup.api.model.TenantConnection;
import io.tenantbackup.api.model.TenantInfo;
import io.tenantbackup.api.model.TenantOverview;
import io.tenantbackup.tenant.Tenant;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Objects;

/** Tenants in obshell's TenantOverview / TenantInfo shapes, plus how to connect to the instance. */
@ApplicationScoped
public class TenantDtoMapper {

    private static final String MODE = "MYSQL";
    private static final String NO = "NO";

    TenantOverview overview(Tenant tenant) {
        return new TenantOverview()
                .tenantName(tenant.name())
                .tenantId(tenant.id())
                .createdTime(tenant.createdAt())
                .mode(MODE)
                .status(tenant.status().name())
                .locked(NO)
                .primaryZone(recorded(tenant, "primary_zone"))
                .locality("")
                .inRecyclebin(NO)
                .connection(connection(tenant));
    }

    TenantInfo info(Tenant tenant, boolean instanceUp) {
        return new TenantInfo()
                .tenantName(tenant.name())
                .tenantId(tenant.id())
                .createdTime(tenant.createdAt())
                .mode(MODE)
                .status(tenant.status().name())
                .locked(NO)
                .primaryZone(recorded(tenant, "primary_zone"))
                .locality("")
                .inRecyclebin(NO)
                .charset(tenant.charset())
                .collation(tenant.collation())
                .whitelist(recorded(tenant, "whitelist"))
                .pools(List.of())
                .readOnly(Boolean.TRUE.equals(tenant.oceanBaseOptions().get("read_only")))
                .connection(connection(tenant))
                .instanceUp(instanceUp);
    }

    private static TenantConnection connection(Tenant tenant) {
        return new TenantConnection()
                .host("127.0.0.1")
                .port(tenant.port() == null ? 0 : tenant.port())
                .socket(tenant.socket())
                .user("root");
    }

    private static String recorded(Tenant tenant, String option) {
        return Objects.toString(tenant.oceanBaseOptions().get(option), "");
    }
}
