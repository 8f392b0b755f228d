package io.tenantbackup.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <data dir>/.agent/instance.lock}, held for the life of the process: the kernel drops
 * it when the process dies, even by SIGKILL, so it tells a live instance on this data directory from a crashed one
 * without trusting the metadata database or a pid file.
 */
final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock and records who holds it; refuses when a live instance holds it. */
    static DataDirLock take(Path dataDir, String identity) throws IOException {
        Path file = dataDir.resolve(".agent").resolve("instance.lock");
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new AgentStartRefused("data directory " + dataDir + " is used by a live instance ("
                    + (holder.isEmpty() ? "unknown" : holder) + "); two instances on one data directory would supervise"
                    + " the same tenants twice. Give this instance its own TENANT_BACKUP_DATA_DIR or stop the other");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(("agent " + identity + ", pid " + ProcessHandle.current().pid())
                .getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
