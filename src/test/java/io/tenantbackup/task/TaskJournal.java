package io.tenantbackup.task;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the test tasks did, per DAG, in order. */
@ApplicationScoped
public class TaskJournal {

    private final Map<Long, List<String>> events = new ConcurrentHashMap<>();

    public void record(long dagId, String event) {
        events.computeIfAbsent(dagId, id -> new CopyOnWriteArrayList<>()).add(event);
    }

    public List<String> of(long dagId) {
        return List.copyOf(events.getOrDefault(dagId, List.of()));
    }

    public long count(long dagId, String event) {
        return of(dagId).stream().filter(event::equals).count();
    }
}
