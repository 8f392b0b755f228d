package io.tenantbackup.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Fault injector: silently corrupts bytes a backup has already written (and checksummed) to its partial file, as a
 * failing disk or a storage layer would, while the backup still writes the rest. Only the set's post-write
 * verification stands between such a file and a "completed" backup.
 */
public final class WrittenBytesFaultInjector {

    private WrittenBytesFaultInjector() {
    }

    /**
     * Waits until {@code part} holds more than {@code offset} + 64 KiB, then flips every bit of the byte at
     * {@code offset}; fails when the file is not seen growing that far within {@code deadline}.
     */
    public static void flipOnceWritten(Path part, long offset, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!(Files.exists(part) && sizeOf(part) > offset + 65_536)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(part + " never grew past " + (offset + 65_536) + " bytes within " + deadline);
            }
            LockSupport.parkNanos(500_000);
        }
        try (RandomAccessFile file = new RandomAccessFile(part.toFile(), "rw")) {
            file.seek(offset);
            int original = file.read();
            file.seek(offset);
            file.write(~original & 0xff);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException renamedOrRemoved) {
            return 0;
        }
    }
}
