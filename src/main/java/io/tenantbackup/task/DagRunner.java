package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.context.api.ManagedExecutorConfig;
import io.tenantbackup.error.ServiceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs DAGs on worker threads: stages in order, one sub-task each, every state change in a short transaction (a
 * node's end and the next node's start in the same one) and the task itself outside any transaction. Only one worker
 * works on a DAG at a time; the row lock on the DAG orders it with the operators.
 */
@ApplicationScoped
class DagRunner {

    private static final Logger LOG = Logger.getLogger(DagRunner.class);

    /** Nothing of the submitting thread is propagated: a worker must never join the caller's transaction. */
    @Inject
    @ManagedExecutorConfig(propagated = {}, cleared = ThreadContext.ALL_REMAINING)
    ManagedExecutor executor;

    @Inject
    TaskBeans tasks;

    @Inject
    DagRecords records;

    @Inject
    TaskLogWriter logWriter;

    /** The signals of the workers of each DAG; a finishing worker may briefly overlap the next one. */
    private final Map<Long, Set<CancellationSignal>> workers = new ConcurrentHashMap<>();

    /** Runs a READY DAG (new, retried or rolled back). */
    void start(long dagId) {
        launch(dagId, signal -> run(dagId, signal, TaskState.READY, null));
    }

    /** Continues a DAG left RUNNING by a stopped service, re-running its current node. */
    void resume(long dagId, String firstLogLine) {
        launch(dagId, signal -> run(dagId, signal, TaskState.RUNNING, firstLogLine));
    }

    /** Fails a RUNNING DAG that nobody works on any more: error line, clean-up of the current node, DAG FAILED. */
    void failInterrupted(long dagId, String errorLine) {
        launch(dagId, signal -> {
            PersistentTaskContext context = QuarkusTransaction.requiringNew().call(() -> {
                DagEntity dag = records.lockDag(dagId);
                if (dag.isFinished()) {
                    return null;
                }
                NodeEntity node = records.currentNode(dag);
                SubTaskEntity subTask = SubTaskEntity.ofNode(node.id);
                records.fail(node, subTask, dag.operator == TaskOperator.CANCEL ? TaskOperator.CANCEL : null,
                        errorLine);
                return new PersistentTaskContext(RunningSubTask.of(dag, node, subTask), signal, logWriter);
            });
            if (context != null) {
                cleanUpAndFail(context, errorLine);
            }
        });
    }

    /**
     * Runs, on the calling thread, the clean-up of the current node of a DAG that another agent failed while this
     * one was gone; the failure line stays the sub-task's last line.
     */
    void runOwedCleanUp(long dagId) {
        PersistentTaskContext context = QuarkusTransaction.requiringNew().call(() -> {
            DagEntity dag = records.lockDag(dagId);
            if (!dag.cleanupOwed) {
                return null;
            }
            dag.cleanupOwed = false;
            NodeEntity node = records.currentNode(dag);
            return new PersistentTaskContext(RunningSubTask.of(dag, node, SubTaskEntity.ofNode(node.id)),
                    new CancellationSignal(), logWriter);
        });
        if (context == null) {
            return;
        }
        String failureLine = QuarkusTransaction.requiringNew().call(() -> {
            List<TaskLogEntity> logs = TaskLogEntity.ofSubTask(context.subTask().subTaskId());
            return logs.isEmpty() ? null : logs.get(logs.size() - 1).logContent;
        });
        context.log("Cleaning up '" + context.subTask().nodeName() + "' now that this agent is back");
        Throwable failure = cleanUp(context);
        if (failure != null) {
            context.log("Clean-up of '" + context.subTask().nodeName() + "' failed: " + describe(failure));
        }
        if (failureLine != null) {
            context.log(failureLine);
        }
        // the finished DAG's new log lines must reach readers: the read cache keys on finish_count
        QuarkusTransaction.requiringNew().run(() -> records.lockDag(dagId).finishCount++);
    }

    boolean isActive(long dagId) {
        return workers.containsKey(dagId);
    }

    /** Stops the task that is running for the DAG; its hooks kill its processes. */
    void signalCancel(long dagId, String reason) {
        workers.getOrDefault(dagId, Set.of()).forEach(signal -> signal.cancel(reason));
    }

    private void launch(long dagId, Consumer<CancellationSignal> work) {
        CancellationSignal signal = new CancellationSignal();
        workers.compute(dagId, (id, signals) -> {
            Set<CancellationSignal> registered = signals == null ? ConcurrentHashMap.newKeySet() : signals;
            registered.add(signal);
            return registered;
        });
        executor.execute(() -> {
            try {
                work.accept(signal);
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "The task engine failed while working on DAG %s", GenericId.encode(dagId));
                failAfterEngineError(dagId, e);
            } finally {
                workers.computeIfPresent(dagId, (id, signals) -> {
                    signals.remove(signal);
                    return signals.isEmpty() ? null : signals;
                });
            }
        });
    }

    private void run(long dagId, CancellationSignal signal, TaskState claimFrom, String firstLogLine) {
        Claim claim = QuarkusTransaction.requiringNew().call(() -> {
            DagEntity dag = records.lockDag(dagId);
            if (dag.state != claimFrom) {
                return null;
            }
            dag.state = TaskState.RUNNING;
            return dag.operator == TaskOperator.ROLLBACK ? Claim.ROLL_BACK : new Claim(startCurrentNode(dag, signal));
        });
        if (claim == Claim.ROLL_BACK) {
            rollBack(dagId, signal);
        } else if (claim != null) {
            runForward(claim.firstNode(), signal, firstLogLine);
        }
    }

    /** A claimed DAG: rolled back, or run forward from its current node (null when a cancel ended it first). */
    private record Claim(PersistentTaskContext firstNode) {
        static final Claim ROLL_BACK = new Claim(null);
    }

    private void runForward(PersistentTaskContext firstNode, CancellationSignal signal, String firstLogLine) {
        String pendingLine = firstLogLine;
        PersistentTaskContext context = firstNode;
        while (context != null) {
            if (pendingLine != null) {
                context.log(pendingLine);
                pendingLine = null;
            }
            Throwable failure = execute(context);
            Step step = completeNode(context, failure, signal);
            if (step.errorLine() != null) {
                cleanUpAndFail(context, step.errorLine());
                return;
            }
            context = step.next();
        }
    }

    /**
     * Marks the current node of the locked, RUNNING DAG running, in the caller's transaction; returns null when there
     * is nothing (more) to run.
     */
    private PersistentTaskContext startCurrentNode(DagEntity dag, CancellationSignal signal) {
        if (dag.state != TaskState.RUNNING) {
            return null;
        }
        NodeEntity node = records.currentNode(dag);
        SubTaskEntity subTask = SubTaskEntity.ofNode(node.id);
        if (dag.operator == TaskOperator.CANCEL) {
            records.fail(node, subTask, TaskOperator.CANCEL,
                    "ERROR: Cancelled: DAG " + dag.genericId() + " was cancelled before '" + node.name + "' started");
            records.finish(dag, TaskState.FAILED);
            return null;
        }
        records.start(node, subTask);
        subTask.executeTimes++;
        return new PersistentTaskContext(RunningSubTask.of(dag, node, subTask), signal, logWriter);
    }

    private Throwable execute(PersistentTaskContext context) {
        return invoke(context, "Task", Task::execute);
    }

    /** What a node's completion leaves to do: run {@code next} (null: nothing more), or fail with {@code errorLine}. */
    private record Step(PersistentTaskContext next, String errorLine) {
        static final Step NOTHING = new Step(null, null);
    }

    /**
     * Records the outcome of the node and, when the DAG goes on, starts the next node in the same transaction (one
     * commit per node boundary instead of two; a reader sees the next node RUNNING as soon as this one has
     * SUCCEEDED). A cancel recorded before this commit wins over success.
     */
    private Step completeNode(PersistentTaskContext context, Throwable failure, CancellationSignal signal) {
        RunningSubTask running = context.subTask();
        return QuarkusTransaction.requiringNew().call(() -> {
            DagEntity dag = records.lockDag(running.dagId());
            if (dag.isFinished()) {
                return Step.NOTHING; // failed meanwhile by another agent that found this one gone: its record stands
            }
            NodeEntity node = NodeEntity.findById(running.nodeId());
            SubTaskEntity subTask = SubTaskEntity.findById(running.subTaskId());
            boolean cancelled = dag.operator == TaskOperator.CANCEL;
            if (failure == null && !cancelled) {
                records.succeed(node, subTask);
                if (dag.stage == dag.maxStage) {
                    records.finish(dag, TaskState.SUCCEED);
                    return Step.NOTHING;
                }
                dag.stage++;
                return new Step(startCurrentNode(dag, signal), null);
            }
            String errorLine = cancelled ? cancelLine(dag, signal) : errorLine(failure);
            records.fail(node, subTask, cancelled ? TaskOperator.CANCEL : null, errorLine);
            return new Step(null, errorLine);
        });
    }

    /** Cleans up after a FAILED sub-task and then fails the DAG; the error line stays the sub-task's last line. */
    private void cleanUpAndFail(PersistentTaskContext context, String errorLine) {
        RunningSubTask subTask = context.subTask();
        int linesBefore = context.linesLogged();
        Throwable cleanUpFailure = cleanUp(context);
        if (cleanUpFailure != null) {
            context.log("Clean-up of '" + subTask.nodeName() + "' failed: " + describe(cleanUpFailure));
        }
        if (context.linesLogged() != linesBefore) {
            context.log(errorLine);
        }
        QuarkusTransaction.requiringNew().run(() -> records.finish(records.lockDag(subTask.dagId()), TaskState.FAILED));
    }

    private Throwable cleanUp(PersistentTaskContext context) {
        return invoke(context, "Clean-up of task", Task::cleanUp);
    }

    /** Calls the node's task outside any transaction; what it throws is returned, to be recorded. */
    private Throwable invoke(PersistentTaskContext context, String what, TaskCall call) {
        RunningSubTask subTask = context.subTask();
        try {
            call.invoke(tasks.forClass(subTask.taskClass(), subTask.nodeName()), context);
            return null;
        } catch (Exception | Error e) {
            LOG.infof("%s '%s' of DAG %s failed: %s", what, subTask.nodeName(), GenericId.encode(subTask.dagId()),
                    e.toString());
            return e;
        }
    }

    @FunctionalInterface
    private interface TaskCall {
        void invoke(Task task, TaskContext context) throws Exception;
    }

    /** Cleans up the nodes that ran, from the current one back to the first; ends SUCCEED with operator ROLLBACK. */
    private void rollBack(long dagId, CancellationSignal signal) {
        int fromStage = QuarkusTransaction.requiringNew().call(() -> records.lockDag(dagId).stage);
        for (int stage = fromStage; stage >= 1; stage--) {
            PersistentTaskContext context = startRollback(dagId, stage, signal);
            if (context == null) {
                continue;
            }
            context.log("Rolling back '" + context.subTask().nodeName() + "'");
            Throwable failure = cleanUp(context);
            String errorLine = failure == null ? null : errorLine(failure);
            QuarkusTransaction.requiringNew().run(() -> {
                NodeEntity node = NodeEntity.findById(context.subTask().nodeId());
                SubTaskEntity subTask = SubTaskEntity.findById(context.subTask().subTaskId());
                if (errorLine == null) {
                    records.succeed(node, subTask);
                } else {
                    records.fail(node, subTask, null, errorLine);
                    records.finish(records.lockDag(dagId), TaskState.FAILED);
                }
            });
            if (errorLine != null) {
                return;
            }
        }
        QuarkusTransaction.requiringNew().run(() -> records.finish(records.lockDag(dagId), TaskState.SUCCEED));
    }

    /** Marks a node that ran as being rolled back; returns null for a node that never ran. */
    private PersistentTaskContext startRollback(long dagId, int stage, CancellationSignal signal) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DagEntity dag = records.lockDag(dagId);
            dag.stage = stage;
            NodeEntity node = records.currentNode(dag);
            SubTaskEntity subTask = SubTaskEntity.ofNode(node.id);
            if (subTask.executeTimes == 0) {
                return null;
            }
            records.start(node, subTask);
            node.operator = TaskOperator.ROLLBACK;
            subTask.operator = TaskOperator.ROLLBACK;
            return new PersistentTaskContext(RunningSubTask.of(dag, node, subTask), signal, logWriter);
        });
    }

    /** Last resort when the engine itself broke (e.g. the database was unreachable): the DAG must not stay RUNNING. */
    private void failAfterEngineError(long dagId, Throwable error) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                DagEntity dag = records.lockDag(dagId);
                if (dag.isFinished()) {
                    return;
                }
                NodeEntity node = records.currentNode(dag);
                SubTaskEntity subTask = SubTaskEntity.ofNode(node.id);
                if (subTask.state != TaskState.FAILED) {
                    records.fail(node, subTask, null, "ERROR: Task engine error: " + describe(error));
                }
                records.finish(dag, TaskState.FAILED);
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not mark DAG %s as FAILED; it is recovered at the next start",
                    GenericId.encode(dagId));
        }
    }

    private static String cancelLine(DagEntity dag, CancellationSignal signal) {
        String reason = signal.isCancelled() ? signal.reason() : "DAG " + dag.genericId() + " was cancelled";
        return "ERROR: Cancelled: " + reason;
    }

    private static String errorLine(Throwable failure) {
        if (failure instanceof ServiceException) {
            return "ERROR: [" + ((ServiceException) failure).code().errCode() + "]: " + failure.getMessage();
        }
        return "ERROR: " + describe(failure);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
