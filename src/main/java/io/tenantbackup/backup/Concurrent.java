package io.tenantbackup.backup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A call run on a thread of its own while the caller goes on with work that does not depend on it (a check on the
 * tenant while the set is prepared, small files stored while the data file is made durable); {@link #await} returns
 * its result or rethrows what it threw, as thrown.
 */
final class Concurrent<T> {

    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Concurrent() {
    }

    static <T> Concurrent<T> start(String threadName, Call<T> call) {
        Concurrent<T> concurrent = new Concurrent<>();
        Thread thread = new Thread(() -> {
            try {
                concurrent.result.complete(call.call());
            } catch (Exception | Error e) {
                concurrent.result.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return concurrent;
    }

    T await() throws Exception {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw (Error) e.getCause();
        }
    }

    /** Waits for the call to end, whatever its outcome: before the caller fails and its clean-up removes the files. */
    void awaitQuietly() {
        try {
            result.handle((value, failure) -> null).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
