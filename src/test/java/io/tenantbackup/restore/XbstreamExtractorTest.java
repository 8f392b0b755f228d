package io.tenantbackup.restore;

import io.tenantbackup.task.CancellationSignal;
import io.tenantbackup.task.TaskCancelledException;
import io.tenantbackup.testing.XbstreamChunks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore's own xbstream extraction, against the real {@code mbstream}: what {@code mbstream -c} packs comes out
 * byte for byte as {@code mbstream -x} writes it; a crafted or damaged stream is refused naming what is wrong, and
 * writes nothing outside the target.
 */
class XbstreamExtractorTest {

    @TempDir
    Path work;

    @Test
    void extractsWhatMbstreamPackedAsMbstreamDoes() throws Exception {
        Path source = Files.createDirectories(work.resolve("source"));
        Random random = new Random(11);
        byte[] large = new byte[3 * XbstreamExtractor.PIECE + 12_345]; // several pieces, not a multiple of one
        random.nextBytes(large);
        Files.write(Files.createDirectories(source.resolve("db")).resolve("t.ibd"), large);
        Files.writeString(source.resolve("backup-my.cnf"), "[mysqld]\ninnodb_page_size=16384\n");
        Files.createFile(source.resolve("empty.CSV"));
        Files.writeString(Files.createDirectories(source.resolve("a")).resolve("other.frm"), "deep");
        Path stream = work.resolve("packed.xbstream");
        List<String> pack = new ArrayList<>(List.of("mbstream", "-c"));
        pack.addAll(List.of("db/t.ibd", "backup-my.cnf", "empty.CSV", "a/other.frm"));
        run(new ProcessBuilder(pack).directory(source.toFile()).redirectOutput(stream.toFile()));
        Path byMbstream = Files.createDirectories(work.resolve("by-mbstream"));
        run(new ProcessBuilder("mbstream", "-x", "-C", byMbstream.toString()).redirectInput(stream.toFile()));

        Path ours = Files.createDirectories(work.resolve("ours"));
        List<Path> owned = new ArrayList<>();
        AtomicLong written = new AtomicLong();
        XbstreamExtractor.Extracted extracted;
        try (InputStream in = Files.newInputStream(stream)) {
            extracted = XbstreamExtractor.extract(in, ours, owned::add, written::addAndGet, new CancellationSignal());
        }

        assertEquals(tree(byMbstream), tree(ours));
        assertArrayEquals(large, Files.readAllBytes(ours.resolve("db/t.ibd")));
        assertEquals(4, extracted.files());
        assertEquals(large.length + 32 + 4, extracted.bytes());
        assertEquals(extracted.bytes(), written.get(), "progress saw every byte written");
        assertTrue(owned.containsAll(List.of(ours.resolve("db"), ours.resolve("db/t.ibd"), ours.resolve("a"),
                ours.resolve("a/other.frm"), ours.resolve("empty.CSV"))), "every file and directory went to the owner: " + owned);
    }

    @Test
    void pathsThatLeaveTheTargetAreRefusedAndWriteNothingOutside() throws Exception {
        Path target = work.resolve("set");
        for (String path : List.of("../escaped", "db/../../escaped", "/tmp/escaped", "", "db/\0x")) {
            Files.createDirectories(target);
            IOException refused = assertThrows(IOException.class, () -> extract(new XbstreamChunks()
                    .payload("ok.frm", 0, "fine").end("ok.frm").payload(path, 0, "bad").bytes(), target));
            assertTrue(refused.getMessage().startsWith("Refusing the backup stream at byte 64: the path '"),
                    refused.getMessage());
            assertEquals("fine", Files.readString(target.resolve("ok.frm")));
            Files.delete(target.resolve("ok.frm"));
        }
        assertFalse(Files.exists(work.resolve("escaped")));
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of(target), files.toList(), "nothing beside the target");
        }
    }

    @Test
    void aNameThatComesTwiceOrIsALinkIsRefused() throws Exception {
        Path target = Files.createDirectories(work.resolve("set"));
        IOException twice = assertThrows(IOException.class, () -> extract(new XbstreamChunks()
                .payload("t.ibd", 0, "one").end("t.ibd").payload("t.ibd", 0, "two").bytes(), target));
        assertTrue(twice.getMessage().contains("'t.ibd' comes twice"), twice.getMessage());

        Path outside = Files.writeString(work.resolve("outside"), "untouched");
        Path other = Files.createDirectories(work.resolve("other"));
        Files.createSymbolicLink(other.resolve("link"), outside);
        assertThrows(IOException.class, () -> extract(new XbstreamChunks().payload("link", 0, "over").bytes(), other));
        Files.createSymbolicLink(other.resolve("dir"), work);
        IOException through = assertThrows(IOException.class, () -> extract(new XbstreamChunks()
                .payload("dir/outside", 0, "over").bytes(), other));
        assertTrue(through.getMessage().contains("goes through a file of the set"), through.getMessage());
        assertEquals("untouched", Files.readString(outside));
    }

    @Test
    void aDamagedChunkIsRefusedNamingItsFile() throws Exception {
        byte[] stream = new XbstreamChunks().payload("db/t.ibd", 0, "some page bytes").end("db/t.ibd").bytes();
        stream[stream.length - 30] ^= 1; // a byte of the payload
        IOException damaged = assertThrows(IOException.class, () -> extract(stream, work));
        assertEquals("Refusing the backup stream at byte 0: the checksum of a chunk of 'db/t.ibd' does not match"
                + " (damaged)", damaged.getMessage());
    }

    @Test
    void chunksOutOfOrderAreRefused() {
        IOException gap = assertThrows(IOException.class, () -> extract(new XbstreamChunks()
                .payload("t.ibd", 0, "0123").payload("t.ibd", 8, "89ab").bytes(), work));
        assertTrue(gap.getMessage().endsWith("a chunk of 't.ibd' at offset 8 where 4 was expected (out of order)"),
                gap.getMessage());
    }

    @Test
    void aTruncatedStreamIsRefused() {
        byte[] whole = new XbstreamChunks().payload("t.ibd", 0, "0123456789").end("t.ibd").bytes();
        IOException inPayload = assertThrows(IOException.class, () -> extract(Arrays.copyOf(whole, 40), work));
        assertTrue(inPayload.getMessage().endsWith("the stream ends inside a chunk of 't.ibd' (truncated)"),
                inPayload.getMessage());
        byte[] noEnd = new XbstreamChunks().payload("t2.ibd", 0, "0123456789").bytes();
        IOException unfinished = assertThrows(IOException.class, () -> extract(noEnd, work));
        assertEquals("Refusing the backup stream: it ends before the end of 't2.ibd' (truncated)",
                unfinished.getMessage());
    }

    @Test
    void unknownChunksAreSkippedOnlyWhenIgnorable() throws Exception {
        Path target = Files.createDirectories(work.resolve("set"));
        extract(new XbstreamChunks().chunk((byte) 'S', 1, "t.ibd", 0, "ignorable").payload("t.ibd", 0, "data")
                .end("t.ibd").bytes(), target);
        assertEquals("data", Files.readString(target.resolve("t.ibd")));

        IOException unknown = assertThrows(IOException.class, () -> extract(new XbstreamChunks()
                .chunk((byte) 'S', 0, "u.ibd", 0, "sparse").bytes(), target));
        assertTrue(unknown.getMessage().endsWith("a chunk of unknown type 0x53 for 'u.ibd' that is not marked"
                + " ignorable"), unknown.getMessage());
    }

    @Test
    void notAnXbstreamIsRefused() {
        IOException refused = assertThrows(IOException.class, () -> extract(
                "this is no backup stream at all".getBytes(StandardCharsets.US_ASCII), work));
        assertEquals("Refusing the backup stream at byte 0: no chunk starts there (not an xbstream, or a damaged"
                + " one)", refused.getMessage());
    }

    @Test
    void aStreamThatKeepsOpeningFilesIsStopped() {
        XbstreamChunks chunks = new XbstreamChunks();
        for (int i = 0; i <= XbstreamExtractor.MAX_OPEN_FILES; i++) {
            chunks.payload("f" + i, 0, "x");
        }
        IOException refused = assertThrows(IOException.class, () -> extract(chunks.bytes(), work));
        assertTrue(refused.getMessage().endsWith("more than " + XbstreamExtractor.MAX_OPEN_FILES
                + " files open at once"), refused.getMessage());
    }

    @Test
    void aCancelledRestoreStopsAtTheNextChunk() {
        CancellationSignal cancellation = new CancellationSignal();
        cancellation.cancel("restore cancelled");
        byte[] stream = new XbstreamChunks().payload("t.ibd", 0, "data").end("t.ibd").bytes();
        assertThrows(TaskCancelledException.class, () -> XbstreamExtractor.extract(new ByteArrayInputStream(stream),
                work, path -> { }, bytes -> { }, cancellation));
        assertFalse(Files.exists(work.resolve("t.ibd")));
    }

    private static void extract(byte[] stream, Path target) throws Exception {
        XbstreamExtractor.extract(new ByteArrayInputStream(stream), target, path -> { }, bytes -> { },
                new CancellationSignal());
    }

    /** Relative path → content (directories: "dir") of every entry below {@code root}. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                tree.put(root.relativize(path).toString(), Files.isDirectory(path) ? "dir"
                        : Arrays.toString(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(path))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return tree;
    }

    private static void run(ProcessBuilder process) throws Exception {
        Process started = process.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(started.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, started.exitValue(), String.join(" ", process.command()));
    }
}
