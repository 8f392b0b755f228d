package io.tenantbackup.tenant;

import io.tenantbackup.task.CancellationSignal;
import io.tenantbackup.task.TaskContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TaskContext for running tenant tasks without the engine: parameters in a map, log lines in a list. */
final class RecordingTaskContext implements TaskContext {

    private final String dagName;
    private final Map<String, String> params;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CancellationSignal cancellation = new CancellationSignal();

    RecordingTaskContext(String dagName, Map<String, String> params) {
        this.dagName = dagName;
        this.params = new HashMap<>(params);
    }

    @Override
    public long dagId() {
        return 0;
    }

    @Override
    public String dagName() {
        return dagName;
    }

    @Override
    public Optional<String> param(String key) {
        return Optional.ofNullable(params.get(key));
    }

    @Override
    public void put(String key, String value) {
        params.put(key, value);
    }

    @Override
    public void log(String line) {
        log.add(line);
    }

    @Override
    public CancellationSignal cancellation() {
        return cancellation;
    }

    List<String> log() {
        return log;
    }
}
