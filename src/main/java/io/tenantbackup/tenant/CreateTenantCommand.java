package io.tenantbackup.tenant;

import java.util.Map;

/**
 * What a create-tenant request asks for. {@code rootPassword} (optional) is kept in memory only, never persisted.
 * {@code variables} values are numbers, booleans or simple strings. {@code oceanBaseOptions} holds the request's
 * OceanBase-only fields (zone_list, primary_zone, mode, locality, scenario, parameters, ...): recorded, not applied.
 */
public record CreateTenantCommand(String name, String rootPassword, String charset, String collation,
                                  Map<String, Object> variables, Map<String, Object> oceanBaseOptions) {

    @Override
    public String toString() {
        return "CreateTenantCommand[name=" + name + ", charset=" + charset + ", collation=" + collation
                + ", variables=" + variables + ", rootPassword=" + (hasRootPassword() ? "***" : "none") + "]";
    }

    public boolean hasRootPassword() {
        return rootPassword != null && !rootPassword.isEmpty();
    }
}
