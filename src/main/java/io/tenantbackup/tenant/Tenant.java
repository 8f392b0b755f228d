package io.tenantbackup.tenant;

import java.time.OffsetDateTime;
import java.util.Map;

/** A tenant as the API shows it; {@code socket} is its instance's unix socket. {@code port} and {@code serverId} are null while it is being created. */
public record Tenant(long id, String name, TenantStatus status, Integer port, Long serverId, String charset,
                     String collation, Map<String, String> variables, Map<String, Object> oceanBaseOptions,
                     OffsetDateTime createdAt, OffsetDateTime updatedAt, String socket) {

    static Tenant of(TenantEntity row) {
        return new Tenant(row.id, row.name, row.status, row.port, row.serverId, row.charset, row.collation,
                row.variables(), TenantJson.readObjectMap(row.createRequestJson), row.createdAt, row.updatedAt,
                row.layout().socket().toString());
    }
}
