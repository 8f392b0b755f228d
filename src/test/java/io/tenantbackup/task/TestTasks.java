package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Real Task beans used by the engine tests; each records what it did in the {@link TaskJournal}. */
final class TestTasks {

    private TestTasks() {
    }

    abstract static class Recording implements Task {
        @Inject
        TaskJournal journal;

        String name() {
            return getClass().getSimpleName();
        }

        @Override
        public void execute(TaskContext context) throws Exception {
            journal.record(context.dagId(), "execute:" + name());
            context.log(name() + " done");
            context.put(name(), "done");
        }

        @Override
        public void cleanUp(TaskContext context) {
            journal.record(context.dagId(), "cleanUp:" + name());
            context.log("Removed what " + name() + " left");
        }
    }

    @ApplicationScoped
    static class First extends Recording {
    }

    @ApplicationScoped
    static class Second extends Recording {
        @Override
        public void execute(TaskContext context) throws Exception {
            super.execute(context);
            context.put("seen_first", context.requiredParam("First"));
        }
    }

    @ApplicationScoped
    static class Third extends Recording {
    }

    /** Fails while the DAG parameter "fail_until" is larger than the number of runs so far. */
    @ApplicationScoped
    static class Flaky extends Recording {
        @Override
        public void execute(TaskContext context) throws Exception {
            journal.record(context.dagId(), "execute:Flaky");
            long runs = journal.count(context.dagId(), "execute:Flaky");
            if (runs <= Long.parseLong(context.param("fail_until").orElse("0"))) {
                context.log("Copying /tmp/tb-eng/x");
                throw new IllegalStateException("disk full while writing /tmp/tb-eng/x");
            }
            context.log("Flaky done");
        }
    }

    /** Waits until cancelled; its hook stands for killing a process. */
    @ApplicationScoped
    static class WaitsForCancel extends Recording {
        @Override
        public void execute(TaskContext context) throws Exception {
            CountDownLatch stopped = new CountDownLatch(1);
            try (AutoCloseable hook = context.cancellation().onCancel(() -> {
                journal.record(context.dagId(), "hook:WaitsForCancel");
                stopped.countDown();
            })) {
                journal.record(context.dagId(), "execute:WaitsForCancel");
                context.log("Waiting for a cancel");
                if (!stopped.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never cancelled");
                }
            }
            context.cancellation().throwIfCancelled();
        }
    }

    /** A node result as a real node hands one on: nested values, a list, an absent (null) member. */
    record Measured(String tool, long bytes, List<String> files, Measured parent) {
    }

    static final NodeOutput<Measured> MEASURED = NodeOutput.named("measured", Measured.class);

    /** Shows a live figure, then hands its result on typed. */
    @ApplicationScoped
    static class Publisher extends Recording {
        @Override
        public void execute(TaskContext context) {
            journal.record(context.dagId(), "execute:Publisher");
            context.show("progress_percent", "100");
            context.publish(MEASURED, new Measured("mariabackup 10.11", 1L << 40, List.of("a", "b"), null));
        }
    }

    /** Reads the earlier node's result typed, and an output nobody published. */
    @ApplicationScoped
    static class Reader extends Recording {
        @Override
        public void execute(TaskContext context) {
            journal.record(context.dagId(), "execute:Reader");
            Measured measured = context.output(MEASURED).orElseThrow();
            context.log(measured.tool() + " " + measured.bytes() + " " + measured.files() + " " + measured.parent());
            context.log("unpublished: " + context.output(NodeOutput.named("never", Measured.class)));
        }
    }

    @ApplicationScoped
    static class SafeToRerun extends Recording {
        @Override
        public boolean safeToRerun() {
            return true;
        }
    }

    @ApplicationScoped
    static class NotSafeToRerun extends Recording {
    }

    /** Logs a line from inside a transaction of its own that it then rolls back. */
    @ApplicationScoped
    static class LogsInRolledBackTransaction extends Recording {
        @Override
        public void execute(TaskContext context) throws Exception {
            QuarkusTransaction.begin();
            try {
                context.log("logged inside a transaction that was rolled back");
            } finally {
                QuarkusTransaction.rollback();
            }
        }
    }
}
