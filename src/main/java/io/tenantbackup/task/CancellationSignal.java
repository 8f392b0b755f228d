package io.tenantbackup.task;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Set when a running task must stop; long-running steps register a hook that stops them at once. */
public final class CancellationSignal {

    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile String reason;

    public boolean isCancelled() {
        return reason != null;
    }

    public String reason() {
        return reason;
    }

    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        hooks.forEach(Runnable::run);
    }

    /** Runs the hook on cancellation, or at once if already cancelled. The returned handle removes it. */
    public AutoCloseable onCancel(Runnable hook) {
        hooks.add(hook);
        if (isCancelled()) {
            hook.run();
        }
        return () -> hooks.remove(hook);
    }

    public void throwIfCancelled() throws TaskCancelledException {
        if (isCancelled()) {
            throw new TaskCancelledException(reason);
        }
    }
}
