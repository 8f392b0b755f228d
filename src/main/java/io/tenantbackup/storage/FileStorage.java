package io.tenantbackup.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A {@code file://} destination: a local (or mounted) directory. Files are created 0600 and directories 0700, stored
 * files are opened without following a symbolic link, and a name whose directory resolves outside the destination
 * (a directory replaced by a link) is refused: whoever can write to a destination must not steer the service's
 * reads and writes elsewhere.
 */
final class FileStorage implements BackupStorage {

    static final String PART_SUFFIX = ".part";
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final StorageUri uri;
    private final Path root;

    FileStorage(StorageUri uri, Path root) {
        this.uri = uri;
        this.root = root;
    }

    @Override
    public StorageUri uri() {
        return uri;
    }

    @Override
    public AtomicWriter create(String name) throws IOException {
        Path target = pathOf(name);
        Path part = target.resolveSibling(target.getFileName() + PART_SUFFIX);
        try {
            requireInside(target.getParent());
            Files.createDirectories(target.getParent(), DIRECTORY_MODE);
            return new FileWriter(target, part, FileChannel.open(part, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    FILE_MODE));
        } catch (IOException e) {
            throw failure("create", name, e);
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        try {
            Path path = pathOf(name);
            requireInside(path.getParent());
            return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw failure("open", name, e);
        }
    }

    @Override
    public Optional<Long> size(String name) throws IOException {
        Path path = pathOf(name);
        try {
            return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? Optional.of(Files.size(path)) : Optional.empty();
        } catch (IOException e) {
            throw failure("stat", name, e);
        }
    }

    @Override
    public List<Entry> list(String directory) throws IOException {
        Path start = directory.isEmpty() ? root : pathOf(directory);
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(start)) {
            requireInside(start);
            return children.filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                            || Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                            && !path.getFileName().toString().endsWith(PART_SUFFIX))
                    .map(path -> new Entry(path.getFileName().toString(),
                            Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)))
                    .sorted(Comparator.comparing(Entry::name))
                    .collect(Collectors.toList());
        } catch (UncheckedIOException e) {
            throw failure("list", directory, e.getCause());
        } catch (IOException e) {
            throw failure("list", directory, e);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Path target = pathOf(name);
        try {
            requireInside(target.getParent());
            Files.deleteIfExists(target.resolveSibling(target.getFileName() + PART_SUFFIX));
            if (!Files.exists(target)) {
                return;
            }
            try (Stream<Path> tree = Files.walk(target)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            throw failure("delete", name, e);
        }
    }

    @Override
    public void probe() throws IOException {
        String step = "create directory";
        Path probe = root.resolve(".probe-" + UUID.randomUUID());
        boolean created = false;
        try {
            Files.createDirectories(root, DIRECTORY_MODE);
            step = "create a file";
            try (FileChannel channel = FileChannel.open(probe, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FILE_MODE)) {
                created = true;
                step = "write";
                channel.write(ByteBuffer.wrap("tenant-backup probe\n".getBytes(StandardCharsets.US_ASCII)));
                step = "fsync";
                channel.force(true);
            }
            step = "read the probe file back";
            Files.readAllBytes(probe);
            step = "delete the probe file";
            Files.delete(probe);
            created = false;
        } catch (IOException e) {
            throw new StorageException("Destination " + uri + " is not usable: cannot " + step + " (" + reason(e) + ")",
                    false, e);
        } finally {
            if (created) {
                Files.deleteIfExists(probe);
            }
        }
    }

    private Path pathOf(String name) {
        return root.resolve(StorageNames.requireValid(name, uri));
    }

    /**
     * {@code directory}, or the part of it that exists, must resolve below the destination's own real path; checked
     * before anything is created below it.
     */
    private void requireInside(Path directory) throws IOException {
        Path existing = directory;
        while (!existing.equals(root) && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (Files.exists(existing) && !existing.toRealPath().startsWith(root.toRealPath())) {
            throw new IOException(existing + " resolves to " + existing.toRealPath() + ", outside the destination"
                    + " (a symbolic link); the destination was tampered with");
        }
    }

    /** A missing file is "not found"; every other local file system error is permanent. */
    private StorageException failure(String action, String name, IOException cause) {
        String message = "Cannot " + action + " '" + name + "' in " + uri + " (" + reason(cause) + ")";
        return cause instanceof NoSuchFileException ? new StorageNotFoundException(message, cause)
                : new StorageException(message, false, cause);
    }

    /** JDK file exceptions often carry only the path; name the kind of failure too. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            FileSystemException fs = (FileSystemException) e;
            return fs.getReason() + ": " + fs.getFile();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private final class FileWriter extends AtomicWriter {
        /**
         * Bytes written are handed to the disk (fdatasync) every this many, while the producer goes on: the page
         * cache would otherwise hold all of a large file until {@link #commit()}, whose fsync then wrote it all
         * after the stream had ended (about 0.1 s per 100 MB here).
         */
        private static final long SYNC_EVERY = 16L << 20;
        private final Path target;
        private final Path part;
        private final FileChannel channel;
        private long unsynced;
        private boolean finished;

        FileWriter(Path target, Path part, FileChannel channel) {
            this.target = target;
            this.part = part;
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                unsynced += length;
                if (unsynced >= SYNC_EVERY) {
                    channel.force(false);
                    unsynced = 0;
                }
            } catch (IOException e) {
                throw failure("write", root.relativize(target).toString(), e);
            }
        }

        @Override
        public void commit() throws IOException {
            String name = root.relativize(target).toString();
            try {
                channel.force(true);
                channel.close();
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(target.getParent());
                finished = true;
            } catch (IOException e) {
                throw failure("commit", name, e);
            }
        }

        @Override
        public void close() throws IOException {
            if (finished) {
                return;
            }
            finished = true;
            channel.close();
            Files.deleteIfExists(part);
        }
    }

    /** The rename is durable only once the directory entry is synced. */
    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
