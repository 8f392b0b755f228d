package io.tenantbackup.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tries a storage call again while it fails transiently ({@link StorageException#isTransient()}), with exponential
 * backoff and jitter; a permanent failure or the last attempt's failure is thrown as it is. Interrupting the waiting
 * thread (a cancelled task) ends the retries at once.
 */
final class Retries {

    private static final Logger LOG = Logger.getLogger(Retries.class);

    /** 6 attempts, 0.5 s doubling to at most 8 s: about 15 s of an unreachable server before giving up. */
    static final Retries DEFAULT = new Retries(6, Duration.ofMillis(500), Duration.ofSeconds(8));

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    private final int attempts;
    private final Duration firstDelay;
    private final Duration maxDelay;

    Retries(int attempts, Duration firstDelay, Duration maxDelay) {
        this.attempts = attempts;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    <T> T call(String what, Call<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (StorageException e) {
                if (!e.isTransient() || attempt >= attempts) {
                    throw e;
                }
                Duration delay = delay(attempt);
                LOG.warnf("%s failed (attempt %d of %d), trying again in %d ms: %s", what, attempt, attempts,
                        delay.toMillis(), e.getMessage());
                sleep(delay, what);
            }
        }
    }

    Duration delay(int attempt) {
        long millis = Math.min(maxDelay.toMillis(), firstDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    private static void sleep(Duration delay, String what) throws InterruptedIOException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting to retry: " + what);
        }
    }
}
