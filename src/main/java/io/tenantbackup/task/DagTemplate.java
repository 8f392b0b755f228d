package io.tenantbackup.task;

import java.util.ArrayList;
import java.util.List;

/**
 * The static description of an operation: a DAG name and its ordered nodes, each run by one {@link Task}.
 * {@code maintenanceKey} (a tenant name) makes the DAG exclusive for that tenant while it is unfinished;
 * {@code tenant} is the tenant the DAG works on, whose owner runs it (null: the agent that creates it).
 */
public record DagTemplate(String name, List<NodeTemplate> nodes, String maintenanceKey, String tenant) {

    public record NodeTemplate(String name, Class<? extends Task> task) {
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private final List<NodeTemplate> nodes = new ArrayList<>();
        private String maintenanceKey;
        private String tenant;

        private Builder(String name) {
            this.name = name;
        }

        public Builder node(String nodeName, Class<? extends Task> task) {
            nodes.add(new NodeTemplate(nodeName, task));
            return this;
        }

        /** The DAG works on this tenant and holds it exclusively. */
        public Builder exclusiveFor(String tenantName) {
            this.maintenanceKey = tenantName;
            this.tenant = tenantName;
            return this;
        }

        /** The DAG works on this tenant (so it runs on the tenant's owner) without holding it exclusively. */
        public Builder onTenant(String tenantName) {
            this.tenant = tenantName;
            return this;
        }

        public DagTemplate build() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("DAG template '" + name + "' has no nodes");
            }
            return new DagTemplate(name, List.copyOf(nodes), maintenanceKey, tenant);
        }
    }
}
