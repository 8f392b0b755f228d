package io.tenantbackup.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Multipart uploads whose abort failed (typically: the server went away mid-upload). Their parts would stay stored
 * and billed, invisible to listings, so the abort is tried again in the background every {@link #INTERVAL} until
 * the server answers or {@link #GIVE_UP_AFTER} has passed; a destination's directory delete also aborts what is left.
 */
final class PendingAborts {

    private static final Logger LOG = Logger.getLogger(PendingAborts.class);
    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(6);

    private static final ScheduledExecutorService RETRIER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "s3-pending-aborts");
        thread.setDaemon(true);
        return thread;
    });

    private PendingAborts() {
    }

    static void add(S3Storage storage, String name, String key, String uploadId, IOException failure) {
        LOG.warnf("Cannot abort the unfinished upload of '%s' in %s now, retrying in the background: %s", name,
                storage.uri(), failure.getMessage());
        Instant deadline = Instant.now().plus(GIVE_UP_AFTER);
        schedule(storage, name, key, uploadId, deadline);
    }

    private static void schedule(S3Storage storage, String name, String key, String uploadId, Instant deadline) {
        RETRIER.schedule(() -> {
            try {
                storage.once("abort the upload of", name, client -> client.abortMultipartUpload(r -> r
                        .bucket(storage.bucket()).key(key).uploadId(uploadId)));
                LOG.infof("Aborted the unfinished upload of '%s' in %s", name, storage.uri());
            } catch (StorageNotFoundException gone) {
                LOG.debugf("The unfinished upload of '%s' in %s is already gone", name, storage.uri());
            } catch (StorageException e) {
                if (e.isTransient() && Instant.now().isBefore(deadline)) {
                    schedule(storage, name, key, uploadId, deadline);
                } else {
                    LOG.errorf("Giving up aborting the unfinished upload of '%s' in %s (upload id %s): %s", name,
                            storage.uri(), uploadId, e.getMessage());
                }
            }
        }, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
}
