package io.tenantbackup.testing;

import io.quarkus.arc.Arc;
import io.tenantbackup.task.CancellationSignal;
import io.tenantbackup.task.DagSubmitter;
import io.tenantbackup.task.DagTemplate;
import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the task engine in tests: remembers the submitted DAG and runs its nodes in order on the calling
 * thread, like the engine would (a failed node gets cleanUp and stops the DAG).
 */
public final class InlineDagRunner implements DagSubmitter {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis());

    private DagTemplate template;
    private long dagId;
    private final Map<String, String> values = new HashMap<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final CancellationSignal cancellation = new CancellationSignal();

    @Override
    public long submit(DagTemplate dag, Map<String, String> params) {
        this.template = dag;
        this.dagId = IDS.incrementAndGet();
        values.putAll(params);
        return dagId;
    }

    public DagTemplate template() {
        return template;
    }

    public Map<String, String> values() {
        return values;
    }

    public List<String> logs() {
        return logs;
    }

    public CancellationSignal cancellation() {
        return cancellation;
    }

    /** Runs every node; returns the failure of the first failing node, empty when all succeeded. */
    public Optional<Exception> run() {
        for (DagTemplate.NodeTemplate node : template.nodes()) {
            Task task = Arc.container().instance(node.task()).get();
            if (task == null) {
                throw new IllegalStateException("No bean for task " + node.task().getName() + "; is it @Unremovable?");
            }
            logs.add("== " + node.name());
            try {
                task.execute(context());
            } catch (Exception e) {
                context().log("ERROR: " + e.getMessage());
                task.cleanUp(context());
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public TaskContext context() {
        return new TaskContext() {
            @Override
            public long dagId() {
                return dagId;
            }

            @Override
            public String dagName() {
                return template.name();
            }

            @Override
            public Optional<String> param(String key) {
                return Optional.ofNullable(values.get(key));
            }

            @Override
            public void put(String key, String value) {
                values.put(key, value);
            }

            @Override
            public void log(String line) {
                logs.add(line);
                System.out.println("[dag " + dagId + "] " + line);
            }

            @Override
            public CancellationSignal cancellation() {
                return cancellation;
            }
        };
    }

    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        template.nodes().forEach(node -> names.add(node.name()));
        return names;
    }
}
