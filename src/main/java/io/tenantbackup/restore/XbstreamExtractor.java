package io.tenantbackup.restore;

import io.tenantbackup.task.CancellationSignal;
import io.tenantbackup.task.TaskCancelledException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;

/**
 * What {@code mbstream -x} does, in the service: writes the files of a mariabackup xbstream below a directory. Chunks
 * are {@code XBSTCK01}, flags, type ({@code P} payload, {@code E} end of file, others skipped only when flagged
 * ignorable), path; a payload adds its length, its offset in the file, the CRC-32 of its bytes and the bytes.
 * <p>
 * Why not the program: {@code mbstream} reads each 10 MiB payload whole, then writes it in one call; on the README's
 * benchmark machine that pattern is slow and uneven ({@code zstd -d | mbstream -x} of 1 GB: 1.2-2.2 s), while writes
 * of {@link #PIECE} bytes from the recycled buffers of the decoding threads take 0.7-0.9 s.
 * <p>
 * The stream is untrusted (whoever can write the destination may have crafted it), and this runs as the service:
 * every path must be relative and stay below the target (no {@code ..}, no absolute path, no NUL, valid UTF-8);
 * files are created new (an existing name, a link included, is refused), never followed; every checksum and offset
 * must match, and the stream must end with every file it opened closed by its end chunk. Each file and directory is
 * handed to {@code owner} as soon as it exists, so that the tools after run as the tenant's OS user on its own files.
 */
final class XbstreamExtractor {

    /** What a new file or directory is given to (the tenant's OS user). */
    @FunctionalInterface
    interface Owner {
        void own(Path path) throws IOException;
    }

    /** The figures of one extraction, for the task log. */
    record Extracted(int files, long bytes) {
    }

    static final int PIECE = 256 * 1024;
    private static final byte[] MAGIC = "XBSTCK01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 1 + 1 + 4;
    private static final int PAYLOAD_HEADER = 8 + 8 + 4;
    private static final byte PAYLOAD = 'P';
    private static final byte END_OF_FILE = 'E';
    private static final int IGNORABLE = 0x01;
    /** mariabackup's own limit (FN_REFLEN). */
    private static final int MAX_PATH_BYTES = 511;
    /** A crafted stream must not exhaust the service's file descriptors; mariabackup has one open per thread. */
    static final int MAX_OPEN_FILES = 256;
    private static final Set<StandardOpenOption> CREATE_NEW_FILE =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final InputStream stream;
    private final Path target;
    private final Owner owner;
    private final LongConsumer written;
    private final CancellationSignal cancellation;
    private final Map<String, OpenFile> open = new HashMap<>();
    private final byte[] header = new byte[HEADER];
    private final byte[] piece = new byte[PIECE];
    private final CRC32 crc = new CRC32();
    private int files;
    private long bytes;

    private XbstreamExtractor(InputStream stream, Path target, Owner owner, LongConsumer written,
                              CancellationSignal cancellation) {
        this.stream = stream;
        this.target = target.toAbsolutePath().normalize();
        this.owner = owner;
        this.written = written;
        this.cancellation = cancellation;
    }

    /**
     * Extracts {@code stream} below {@code target} (an existing directory), reporting each piece's bytes to
     * {@code written}. Fails with a {@link RefusedStream} naming the offending path and the stream offset, or with
     * the failure of reading {@code stream}; what was written before stays, for the caller to remove.
     */
    static Extracted extract(InputStream stream, Path target, Owner owner, LongConsumer written,
                             CancellationSignal cancellation) throws IOException, TaskCancelledException {
        XbstreamExtractor extractor = new XbstreamExtractor(stream, target, owner, written, cancellation);
        try {
            extractor.readAll();
            return new Extracted(extractor.files, extractor.bytes);
        } finally {
            extractor.closeAll();
        }
    }

    private void readAll() throws IOException, TaskCancelledException {
        long offset = 0;
        while (true) {
            int read = stream.readNBytes(header, 0, HEADER);
            if (read == 0) {
                break;
            }
            if (read < HEADER) {
                throw refused(offset, "the stream ends inside a chunk header");
            }
            if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw refused(offset, "no chunk starts there (not an xbstream, or a damaged one)");
            }
            cancellation.throwIfCancelled();
            int flags = header[MAGIC.length];
            byte type = header[MAGIC.length + 1];
            long pathLength = Integer.toUnsignedLong(little(header, MAGIC.length + 2).getInt());
            if (pathLength > MAX_PATH_BYTES) {
                throw refused(offset, "a path of " + pathLength + " bytes (mariabackup writes at most "
                        + MAX_PATH_BYTES + ")");
            }
            String path = decode(offset, readFully(offset, (int) pathLength));
            if (type == END_OF_FILE) {
                close(offset, path);
                offset += HEADER + pathLength;
                continue;
            }
            if (type != PAYLOAD && (flags & IGNORABLE) == 0) {
                throw refused(offset, "a chunk of unknown type 0x" + Integer.toHexString(type & 0xff) + " for '"
                        + printable(path) + "' that is not marked ignorable");
            }
            ByteBuffer payload = little(readFully(offset, PAYLOAD_HEADER), 0);
            long length = payload.getLong();
            long fileOffset = payload.getLong();
            int checksum = payload.getInt();
            if (length < 0) {
                throw refused(offset, "a payload length out of range for '" + printable(path) + "'");
            }
            if (type == PAYLOAD) {
                write(offset, path, length, fileOffset, checksum);
            } else {
                copy(offset, path, length, checksum, null);
            }
            offset += HEADER + pathLength + PAYLOAD_HEADER + length;
        }
        if (!open.isEmpty()) {
            throw new RefusedStream("Refusing the backup stream: it ends before the end of '"
                    + printable(open.keySet().iterator().next()) + "' (truncated)");
        }
    }

    private void write(long offset, String path, long length, long fileOffset, int checksum) throws IOException {
        OpenFile file = open.get(path);
        if (file == null) {
            file = create(offset, path);
        }
        if (fileOffset != file.size) {
            throw refused(offset, "a chunk of '" + printable(path) + "' at offset " + fileOffset + " where "
                    + file.size + " was expected (out of order)");
        }
        copy(offset, path, length, checksum, file.channel);
        file.size += length;
        bytes += length;
    }

    /** Reads a chunk's payload, checks its CRC-32 and writes it to {@code sink} (none: an ignorable chunk). */
    private void copy(long offset, String path, long length, int checksum, FileChannel sink) throws IOException {
        crc.reset();
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(left, PIECE);
            if (stream.readNBytes(piece, 0, n) < n) {
                throw refused(offset, "the stream ends inside a chunk of '" + printable(path) + "' (truncated)");
            }
            crc.update(piece, 0, n);
            if (sink != null) {
                ByteBuffer buffer = ByteBuffer.wrap(piece, 0, n);
                while (buffer.hasRemaining()) {
                    sink.write(buffer);
                }
                written.accept(n);
            }
            left -= n;
        }
        if ((int) crc.getValue() != checksum) {
            throw refused(offset, "the checksum of a chunk of '" + printable(path) + "' does not match (damaged)");
        }
    }

    /** The end chunk of a file; a file with no payload (an empty one) is created by it, as mbstream does. */
    private void close(long offset, String path) throws IOException {
        OpenFile file = open.remove(path);
        if (file == null) {
            file = create(offset, path);
            open.remove(path);
        }
        file.channel.close();
    }

    private OpenFile create(long offset, String path) throws IOException {
        if (open.size() >= MAX_OPEN_FILES) {
            throw refused(offset, "more than " + MAX_OPEN_FILES + " files open at once");
        }
        Path file = resolve(offset, path);
        createDirectories(offset, path, file.getParent());
        FileChannel channel;
        try {
            channel = FileChannel.open(file, CREATE_NEW_FILE, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-r-----")));
        } catch (FileAlreadyExistsException e) {
            throw refused(offset, "'" + printable(path) + "' comes twice (or names a directory)");
        }
        OpenFile opened = new OpenFile(channel);
        open.put(path, opened);
        try {
            owner.own(file);
        } catch (IOException e) {
            throw new IOException("Cannot give " + file + " to the tenant's OS user: " + e.getMessage(), e);
        }
        files++;
        return opened;
    }

    /** Creates the missing directories between the target and {@code directory}, each given to the owner. */
    private void createDirectories(long offset, String path, Path directory) throws IOException {
        if (directory.equals(target) || Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createDirectories(offset, path, directory.getParent());
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-x---")));
        } catch (FileAlreadyExistsException e) {
            throw refused(offset, "the path '" + printable(path) + "' goes through a file of the set");
        }
        owner.own(directory);
    }

    /** The file of {@code path} below the target: relative, no {@code ..}, no empty or {@code .} names. */
    private Path resolve(long offset, String path) throws IOException {
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw refused(offset, "the path '" + printable(path) + "' is empty, absolute or holds a NUL");
        }
        Path file = target;
        for (String name : path.split("/")) {
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                throw refused(offset, "the path '" + printable(path) + "' climbs out of the backup set ('..')");
            }
            file = file.resolve(name);
        }
        if (file.equals(target) || !file.normalize().startsWith(target)) {
            throw refused(offset, "the path '" + printable(path) + "' names no file below the backup set");
        }
        return file;
    }

    private byte[] readFully(long offset, int length) throws IOException {
        byte[] bytes = stream.readNBytes(length);
        if (bytes.length < length) {
            throw refused(offset, "the stream ends inside a chunk header (truncated)");
        }
        return bytes;
    }

    private static String decode(long offset, byte[] path) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(path)).toString();
        } catch (CharacterCodingException e) {
            throw refused(offset, "a path that is not UTF-8");
        }
    }

    private void closeAll() throws IOException {
        IOException failure = null;
        for (OpenFile file : open.values()) {
            try {
                file.channel.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static ByteBuffer little(byte[] bytes, int position) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).position(position);
    }

    private static String printable(String path) {
        return path.replaceAll("\\p{Cntrl}", "?");
    }

    private static RefusedStream refused(long offset, String why) {
        return new RefusedStream("Refusing the backup stream at byte " + offset + ": " + why);
    }

    /** The stream's content is wrong (not: reading it failed). */
    static final class RefusedStream extends IOException {
        RefusedStream(String message) {
            super(message);
        }
    }

    private static final class OpenFile {
        private final FileChannel channel;
        private long size;

        private OpenFile(FileChannel channel) {
            this.channel = channel;
        }
    }
}
