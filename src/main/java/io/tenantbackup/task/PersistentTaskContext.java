package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link TaskContext} of one sub-task execution. Every log line and value is committed at once (a value in its own
 * short transaction, log lines by {@link TaskLogWriter}), so readers see live progress while the task itself runs
 * outside any transaction.
 */
final class PersistentTaskContext implements TaskContext {

    private final RunningSubTask subTask;
    private final Map<String, String> params;
    private volatile String outputs;
    private final CancellationSignal cancellation;
    private final TaskLogWriter logWriter;
    private final AtomicInteger linesLogged = new AtomicInteger();

    PersistentTaskContext(RunningSubTask subTask, CancellationSignal cancellation, TaskLogWriter logWriter) {
        this.subTask = subTask;
        this.logWriter = logWriter;
        this.params = new ConcurrentHashMap<>(subTask.params());
        this.outputs = subTask.outputs();
        this.cancellation = cancellation;
    }

    @Override
    public long dagId() {
        return subTask.dagId();
    }

    @Override
    public String dagName() {
        return subTask.dagName();
    }

    @Override
    public Optional<String> param(String key) {
        return Optional.ofNullable(params.get(key));
    }

    @Override
    public void put(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "Task '" + subTask.nodeName() + "' put a null value for '" + key + "'");
        params.put(key, value);
        QuarkusTransaction.requiringNew().run(() -> {
            DagEntity dag = DagEntity.lockForUpdate(subTask.dagId()).orElseThrow(TaskErrors::notFound);
            dag.params = JsonMap.with(dag.params, key, value);
            SubTaskEntity row = SubTaskEntity.findById(subTask.subTaskId());
            row.additionalData = JsonMap.with(row.additionalData, key, value);
        });
    }

    @Override
    public <T> void publish(NodeOutput<T> output, T value) {
        Objects.requireNonNull(value, () -> "Task '" + subTask.nodeName() + "' published no " + output.name());
        outputs = QuarkusTransaction.requiringNew().call(() -> {
            DagEntity dag = DagEntity.lockForUpdate(subTask.dagId()).orElseThrow(TaskErrors::notFound);
            dag.outputs = NodeOutputs.with(dag.outputs, output, value);
            return dag.outputs;
        });
    }

    @Override
    public <T> Optional<T> output(NodeOutput<T> output) {
        return NodeOutputs.read(outputs, output);
    }

    @Override
    public void show(String key, String value) {
        Objects.requireNonNull(value, () -> "Task '" + subTask.nodeName() + "' showed a null value for '" + key + "'");
        QuarkusTransaction.requiringNew().run(() -> {
            // the DAG row lock orders this write of the sub-task row with the runner's and the operators' writes
            DagEntity.lockForUpdate(subTask.dagId()).orElseThrow(TaskErrors::notFound);
            SubTaskEntity row = SubTaskEntity.findById(subTask.subTaskId());
            row.additionalData = JsonMap.with(row.additionalData, key, value);
        });
    }

    @Override
    public void log(String line) {
        log(List.of(line));
    }

    @Override
    public void log(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        logWriter.append(subTask.subTaskId(), subTask.executeTimes(), lines);
        linesLogged.addAndGet(lines.size());
    }

    @Override
    public CancellationSignal cancellation() {
        return cancellation;
    }

    int linesLogged() {
        return linesLogged.get();
    }

    RunningSubTask subTask() {
        return subTask;
    }
}
