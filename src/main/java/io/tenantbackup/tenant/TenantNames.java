package io.tenantbackup.tenant;

import java.util.regex.Pattern;

/** Tenant name rules, checked in obshell's order: empty, then {@code sys}, then the character rule. */
public final class TenantNames {

    public static final String SYS = "sys";

    private static final Pattern VALID = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

    private TenantNames() {
    }

    /** Throws the obshell error for a name that cannot name a tenant; the name is also a directory name. */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw TenantErrors.NAME_EMPTY.exception("Tenant name is empty.");
        }
        if (SYS.equals(name)) {
            throw TenantErrors.SYS_OPERATION_NOT_ALLOWED.exception("Operation on tenant 'sys' is not allowed.");
        }
        if (!VALID.matcher(name).matches()) {
            throw TenantErrors.NAME_INVALID.exception("Tenant name '" + name + "' is invalid: it must start with a"
                    + " letter or '_' and contain only letters, digits and '_', at most 64 characters.");
        }
    }
}
