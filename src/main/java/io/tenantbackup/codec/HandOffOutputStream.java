package io.tenantbackup.codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands the bytes written to it to a thread of its own, which writes them on to {@code downstream} (and closes it),
 * through a bounded queue of chunks: the producer (mariabackup's reader and zstd) and the consumer (AES-GCM, SHA-256,
 * the storage write) run at the same time, and a consumer waiting for a key still being derived holds up the producer
 * only once the queue is full. Memory: at most {@value #CHUNKS} chunks of {@value #CHUNK_BYTES} bytes, allocated as
 * they are needed. The consumer's failure is thrown by the producer's next write or by {@link #close()}, as it was
 * when it is an {@link IOException} (a storage failure names the file), else wrapped in one;
 * {@link #abort()} drops what is queued.
 */
final class HandOffOutputStream extends OutputStream {

    /** 32 MiB of compressed bytes is about 300 MB of mariabackup's stream: more than an Argon2id derivation lasts. */
    static final int CHUNKS = 32;
    static final int CHUNK_BYTES = 1 << 20;

    private record Chunk(byte[] bytes, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final OutputStream downstream;
    private final BlockingQueue<Chunk> queued = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread consumer;
    private int allocated;
    private byte[] current;
    private int filled;
    private boolean ended;
    private volatile boolean aborted;
    private volatile Throwable failure;

    HandOffOutputStream(OutputStream downstream, String name) {
        this.downstream = downstream;
        this.consumer = new Thread(this::consume, "store " + name);
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            requireHealthy();
            if (current == null) {
                current = freeChunk();
                filled = 0;
            }
            int chunk = Math.min(length, current.length - filled);
            System.arraycopy(bytes, offset, current, filled, chunk);
            filled += chunk;
            offset += chunk;
            length -= chunk;
            if (filled == current.length) {
                handOver();
            }
        }
    }

    /** Hands over what is buffered and waits until the consumer wrote everything and closed {@code downstream}. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        try {
            requireHealthy();
            if (current != null && filled > 0) {
                handOver();
            }
        } catch (IOException | RuntimeException | Error e) {
            abort();
            throw e;
        }
        end();
        requireHealthy();
    }

    /** Drops what is queued and stops the consumer without writing on; {@code downstream} is not closed. */
    void abort() {
        aborted = true;
        if (!ended) {
            try {
                end();
            } catch (InterruptedIOException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handOver() throws IOException {
        put(new Chunk(current, filled));
        current = null;
    }

    private void end() throws InterruptedIOException {
        ended = true;
        put(END);
        try {
            consumer.join();
        } catch (InterruptedException e) {
            aborted = true;
            throw new InterruptedIOException("Interrupted while the stored file was being finished");
        }
    }

    private byte[] freeChunk() throws InterruptedIOException {
        byte[] chunk = free.poll();
        if (chunk != null) {
            return chunk;
        }
        if (allocated < CHUNKS) {
            allocated++;
            return new byte[CHUNK_BYTES];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            throw new InterruptedIOException("Interrupted while waiting for the storage write");
        }
    }

    private void put(Chunk chunk) throws InterruptedIOException {
        try {
            queued.put(chunk);
        } catch (InterruptedException e) {
            throw new InterruptedIOException("Interrupted while waiting for the storage write");
        }
    }

    /** Writes chunks until the end; after a failure or an abort it only recycles them, so the producer never waits. */
    private void consume() {
        try {
            for (Chunk chunk = queued.take(); chunk != END; chunk = queued.take()) {
                if (failure == null && !aborted) {
                    try {
                        downstream.write(chunk.bytes(), 0, chunk.length());
                    } catch (IOException | RuntimeException | Error e) {
                        failure = e;
                    }
                }
                free.add(chunk.bytes());
            }
            if (failure == null && !aborted) {
                downstream.close();
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("The storage write was interrupted");
        }
    }

    private void requireHealthy() throws IOException {
        if (aborted) {
            throw new IOException("The stored file was discarded");
        }
        Throwable failed = failure;
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof RuntimeException runtime) {
            // the producer's callers stop mariabackup on an IOException
            throw new IOException(runtime.getMessage(), runtime);
        }
        if (failed instanceof Error error) {
            throw error;
        }
    }
}
