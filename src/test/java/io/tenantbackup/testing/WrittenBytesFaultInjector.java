package io.tenantbackup.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Fault injector: silently damages a file a backup is still writing, as a failing disk or storage layer would, while
 * the backup writes the rest of it through its own handle.
 */
public final class WrittenBytesFaultInjector {

    private WrittenBytesFaultInjector() {
    }

    /**
     * Waits until {@code part} holds more than 64 KiB, then writes one stray byte at {@code offset}, far past anything
     * the backup writes: the file ends up longer than what the backup wrote and checksummed. Fails when the file is not
     * seen growing that far within {@code deadline}.
     */
    public static void strayByteOnceWritten(Path part, long offset, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!(Files.exists(part) && sizeOf(part) > 65_536)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(part + " never grew past 65536 bytes within " + deadline);
            }
            LockSupport.parkNanos(500_000);
        }
        try (RandomAccessFile file = new RandomAccessFile(part.toFile(), "rw")) {
            file.seek(offset);
            file.write(0x5a);
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
