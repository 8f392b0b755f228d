package io.tenantbackup.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code source} on a thread of its own, a bounded number of chunks ahead of the consumer, so that the work
 * behind the source (storage reads and hashing, decryption and decompression, or a program writing its output pipe)
 * runs while the consumer handles the bytes read before. The consumer sees the same bytes, then the same end or the same exception as reading the source
 * directly. Closing stops the thread before the source is closed (a native decoder must not be freed under a read).
 */
public final class ReadAhead extends InputStream {

    private static final long STOP_WAIT_MILLIS = 5_000;

    /** Bytes, or the end ({@code length < 0}), or the source's failure. */
    private record Chunk(byte[] bytes, int length, IOException failure) {
    }

    private static final Chunk END = new Chunk(null, -1, null);

    private final InputStream source;
    private final BlockingQueue<Chunk> filled;
    private final BlockingQueue<byte[]> free;
    private final Thread reader;
    private volatile boolean closed;
    private Chunk current;
    private int position;

    private ReadAhead(InputStream source, int chunkBytes, int depth, String name) {
        this.source = source;
        this.filled = new ArrayBlockingQueue<>(depth + 1);
        this.free = new ArrayBlockingQueue<>(depth + 1);
        for (int i = 0; i < depth + 1; i++) {
            free.add(new byte[chunkBytes]);
        }
        this.reader = new Thread(this::readAll, name);
        reader.setDaemon(true);
    }

    /** Starts reading {@code source} in chunks of {@code chunkBytes}, at most {@code depth} chunks ahead. */
    public static ReadAhead start(InputStream source, int chunkBytes, int depth, String name) {
        ReadAhead ahead = new ReadAhead(source, chunkBytes, depth, name);
        ahead.reader.start();
        return ahead;
    }

    private void readAll() {
        try {
            while (!closed) {
                byte[] buffer = free.take();
                int length = source.readNBytes(buffer, 0, buffer.length);
                if (length > 0) {
                    filled.put(new Chunk(buffer, length, null));
                }
                if (length < buffer.length) {
                    filled.put(END);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException e) {
            hand(new Chunk(null, -1, e));
        } catch (RuntimeException | Error e) {
            hand(new Chunk(null, -1, new IOException(e.toString(), e)));
        }
    }

    private void hand(Chunk failure) {
        if (closed) {
            return;
        }
        try {
            filled.put(failure);
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.bytes()[position++] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int chunk = Math.min(length, current.length() - position);
        System.arraycopy(current.bytes(), position, bytes, offset, chunk);
        position += chunk;
        return chunk;
    }

    /** Writes the chunks to {@code out} as they come, without copying them into a caller's buffer first. */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        long transferred = 0;
        while (fill()) {
            int length = current.length() - position;
            out.write(current.bytes(), position, length);
            position += length;
            transferred += length;
        }
        return transferred;
    }

    @Override
    public int available() {
        return current == null || current.bytes() == null ? 0 : current.length() - position;
    }

    /** False at the end; throws the source's failure (again on every later read). */
    private boolean fill() throws IOException {
        while (current == null || (current.bytes() != null && position == current.length())) {
            if (current != null) {
                free.add(current.bytes());
            }
            if (closed) {
                throw new IOException("Stream closed");
            }
            try {
                current = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                current = null;
                throw new InterruptedIOException("Interrupted while waiting for " + reader.getName());
            }
            position = 0;
        }
        if (current.failure() != null) {
            throw current.failure();
        }
        return current.bytes() != null;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        try {
            reader.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
