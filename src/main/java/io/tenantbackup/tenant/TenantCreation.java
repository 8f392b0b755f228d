package io.tenantbackup.tenant;

import io.tenantbackup.task.DagEntity;

import java.util.Optional;

/**
 * A submitted "Create tenant" DAG and, when the request had no root password, the one generated for root: it is
 * shown once, in the answer to the request, and kept nowhere.
 */
public record TenantCreation(DagEntity dag, Optional<String> generatedRootPassword) {

    @Override
    public String toString() {
        return "TenantCreation[dag=" + dag.id + ", generatedRootPassword=" + (generatedRootPassword.isPresent()
                ? "***" : "none") + "]";
    }
}
