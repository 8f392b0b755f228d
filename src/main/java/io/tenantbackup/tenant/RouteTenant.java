package io.tenantbackup.tenant;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/**
 * The row of the tenant a /tenant/{name}/... request names, as its route check read it at the start of the request,
 * so that the read routes do not read it a second time. Write routes read the row in their own transaction.
 */
@RequestScoped
public class RouteTenant {

    private TenantEntity row;

    void remember(TenantEntity checked) {
        row = checked;
    }

    Optional<TenantEntity> of(String name) {
        return Optional.ofNullable(row).filter(checked -> checked.name.equals(name));
    }
}
