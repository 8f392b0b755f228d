package io.tenantbackup.task;

import java.util.ArrayList;
import java.util.List;

/**
 * The static description of an operation: a DAG name and its ordered nodes, each run by one {@link Task}.
 * {@code maintenanceKey} (a tenant name) makes the DAG exclusive for that tenant while it is unfinished.
 */
public record DagTemplate(String name, List<NodeTemplate> nodes, String maintenanceKey) {

    public record NodeTemplate(String name, Class<? extends Task> task) {
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private final List<NodeTemplate> nodes = new ArrayList<>();
        private String maintenanceKey;

        private Builder(String name) {
            this.name = name;
        }

        public Builder node(String nodeName, Class<? extends Task> task) {
            nodes.add(new NodeTemplate(nodeName, task));
            return this;
        }

        public Builder exclusiveFor(String tenantName) {
            this.maintenanceKey = tenantName;
            return this;
        }

        public DagTemplate build() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("DAG template '" + name + "' has no nodes");
            }
            return new DagTemplate(name, List.copyOf(nodes), maintenanceKey);
        }
    }
}
