package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes, sub-tasks and logs of finished DAGs, which only an operator (RETRY, ROLLBACK, PASS) can change again. An
 * entry is keyed by the DAG row's state, operator, stage and finish count, read with every request: every operator
 * changes the state and every end bumps the count, so a DAG changed by any instance misses the cache instead of
 * showing stale nodes. Least recently used entries go first.
 */
@ApplicationScoped
class FinishedDagCache {

    static final int MAX_ENTRIES = 1024;

    private record Version(TaskState state, TaskOperator operator, int stage, int finishCount) {
        static Version of(DagEntity dag) {
            return new Version(dag.state, dag.operator, dag.stage, dag.finishCount);
        }
    }

    private record Entry(Version version, List<DagDetail.NodeDetail> nodes) {
    }

    private final Map<Long, Entry> entries = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** Whether an entry for the DAG is kept, whatever its version: then its row alone may be enough to answer. */
    synchronized boolean holds(long dagId) {
        return entries.containsKey(dagId);
    }

    synchronized Optional<List<DagDetail.NodeDetail>> nodes(DagEntity dag) {
        Entry entry = entries.get(dag.id);
        return entry != null && entry.version().equals(Version.of(dag)) ? Optional.of(entry.nodes()) : Optional.empty();
    }

    /** Keeps the nodes of {@code dag} if it is finished; they must have been read in the same transaction as it. */
    synchronized void offer(DagEntity dag, List<DagDetail.NodeDetail> nodes) {
        if (dag.isFinished()) {
            entries.put(dag.id, new Entry(Version.of(dag), nodes));
        }
    }
}
