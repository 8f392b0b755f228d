package io.tenantbackup.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pieces on a real file destination: piece switch by event time, manifests that survive a restart, exact bytes. */
class ArchiveDestinationTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private Path work;
    private Path root;

    @BeforeEach
    void directories() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "tb-ard");
        root = work.resolve("archive");
    }

    @AfterEach
    void cleanUp() throws Exception {
        TestTenant.deleteTree(work);
    }

    @Test
    void aNewPieceStartsOnceTheSwitchIntervalHasPassedAndARestartContinuesIt() throws Exception {
        Duration pieceSwitch = Duration.ofHours(1);
        PieceManifest piece = destination().store(Optional.empty(), binlog("mysql-bin.000001", 1000),
                summary(1000, T0), pieceSwitch);
        piece = destination().store(Optional.of(piece), binlog("mysql-bin.000002", 2000),
                summary(2000, T0.plus(Duration.ofMinutes(59))), pieceSwitch);
        assertEquals(1, piece.pieceId());

        PieceManifest reread = destination().lastPiece().orElseThrow();
        assertEquals(piece, reread);
        PieceManifest next = destination().store(Optional.of(reread), binlog("mysql-bin.000003", 3000),
                summary(3000, T0.plus(Duration.ofHours(1))), pieceSwitch);
        assertEquals(2, next.pieceId());
        assertEquals(List.of("mysql-bin.000003"), next.files().stream().map(PieceManifest.ArchivedFile::name).toList());
        assertEquals(next, destination().lastPiece().orElseThrow());

        List<Path> restored = ArchivedBinlogs.extract(root, 1, work.resolve("out"));
        assertEquals(3, restored.size());
        for (Path file : restored) {
            assertArrayEquals(Files.readAllBytes(work.resolve("spool").resolve(file.getFileName())),
                    Files.readAllBytes(file), file.toString());
        }
        assertTrue(Files.exists(root.resolve("round_1/piece_1/mysql-bin.000002.zst")));
        assertTrue(Files.exists(root.resolve("round_1/piece_2/manifest.json")));
    }

    private ArchiveDestination destination() {
        return new ArchiveDestination(Storages.open("file://" + root), new ObjectMapper(), 7, "ar7", 1);
    }

    private Path binlog(String name, int size) throws Exception {
        Path file = work.resolve("spool").resolve(name);
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + size);
        }
        Files.write(file, bytes);
        return file;
    }

    private static BinlogSummary summary(long size, Instant start) {
        return new BinlogSummary(size, "0-1-1", "0-1-2", GtidPosition.EMPTY, GtidPosition.parse("0-1-2"),
                start, start.plusSeconds(30));
    }
}
