package io.tenantbackup.task;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A program's output reaches the task log in order, a burst in few writes, a lone line without waiting for the end. */
class BatchedLogTest {

    private final List<List<String>> writes = new CopyOnWriteArrayList<>();

    @Test
    void aBurstIsWrittenInFewWritesInOrder() {
        List<String> lines = IntStream.range(0, 439).mapToObj(line -> "line " + line).toList();
        try (BatchedLog log = new BatchedLog(writes::add)) {
            lines.forEach(log);
        }
        assertEquals(lines, writes.stream().flatMap(List::stream).toList());
        assertTrue(writes.size() <= 3, writes.size() + " writes for a burst of 439 lines (mariabackup --move-back's)");
    }

    @Test
    void aLoneLineIsWrittenWhileTheProgramStillRuns() throws InterruptedException {
        try (BatchedLog log = new BatchedLog(writes::add)) {
            log.accept("Starting InnoDB instance for recovery.");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writes.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(List.of("Starting InnoDB instance for recovery.")), writes);
            log.accept("completed OK!");
        }
        assertTrue(writes.get(writes.size() - 1).contains("completed OK!"), writes::toString);
    }
}
