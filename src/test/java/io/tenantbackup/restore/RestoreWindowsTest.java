package io.tenantbackup.restore;

import io.tenantbackup.error.ServiceException;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Windows, replay ranges, the newest point and the disk check from manifests written by hand: a contiguous run, a
 * gap, a set the archive skips, an idle archive with a checkpoint, a chain too large for the disk.
 */
class RestoreWindowsTest {

    private Path root;

    @BeforeEach
    void destinations() throws IOException {
        root = Files.createTempDirectory(Path.of("/tmp"), "rs-win");
        set("data", 1, "2026-11-26T10:00:00Z", "0-1001-10");
        set("data", 2, "2026-11-26T10:10:00Z", "0-1001-20");
        set("data", 3, "2026-11-26T10:30:00Z", "0-1001-40");
        piece("archive", 1, 1, null, file("mysql-bin.000001", "0-1001-5", "0-1001-15", "10:00:00", "10:05:00"),
                file("mysql-bin.000002", "0-1001-15", "0-1001-25", "10:05:00", "10:15:00"),
                // seq_no 26..30 were never archived
                file("mysql-bin.000004", "0-1001-30", "0-1001-45", "10:25:00", "10:40:00"));
    }

    @AfterEach
    void remove() throws IOException {
        TestTenant.deleteTree(root);
    }

    @Test
    void windowsRunThroughTheContiguousArchiveAndGapsSayWhy() throws IOException {
        RestoreWindows.Result result = RestoreWindows.of(Storages.open("file://" + root.resolve("data")),
                Storages.open("file://" + root.resolve("archive")));
        assertEquals(List.of(new RestoreWindows.Window(at("10:00:00"), at("10:15:00"),
                        result.windows().get(0).endReason()),
                new RestoreWindows.Window(at("10:30:00"), at("10:40:00"), result.windows().get(1).endReason())),
                result.windows());
        assertEquals(1, result.gaps().size());
        String reason = result.gaps().get(0).reason();
        assertTrue(reason.contains("gap in the archived binlog: mysql-bin.000002 ends at GTID seq_no 25 but the next"
                + " archived file mysql-bin.000004 starts at 30"), reason);
    }

    @Test
    void replayTakesTheFilesUpToThePointAndRefusesAcrossTheGap() throws IOException {
        ArchivedBinlog archive = ArchivedBinlog.read(Storages.open("file://" + root.resolve("archive")), "src");
        List<ArchivedBinlog.File> files = archive.replayFrom("0-1001-10", new RestorePoint(null, 18L));
        assertEquals(List.of("mysql-bin.000001", "mysql-bin.000002"),
                files.stream().map(file -> file.entry().name()).toList());
        IOException beyond = assertThrows(IOException.class,
                () -> archive.replayFrom("0-1001-20", new RestorePoint(null, 28L)));
        assertTrue(beyond.getMessage().contains("gap in the archived binlog"), beyond.getMessage());
        assertEquals(List.of("mysql-bin.000004"), archive.replayFrom("0-1001-40", new RestorePoint(at("10:35:00"), null))
                .stream().map(file -> file.entry().name()).toList());
    }

    @Test
    void anIdleArchiveKeepsEveryPointUpToItsCheckpointRestorable() throws IOException {
        set("idle", 1, "2026-11-26T10:10:00Z", "0-1001-15");
        piece("idle-archive", 1, 1, at("10:50:00"),
                file("mysql-bin.000001", "0-1001-5", "0-1001-15", "10:00:00", "10:05:00"));
        RestoreWindows.Result result = RestoreWindows.of(Storages.open("file://" + root.resolve("idle")),
                Storages.open("file://" + root.resolve("idle-archive")));
        assertEquals(List.of(at("10:10:00")), result.windows().stream().map(RestoreWindows.Window::start).toList());
        assertEquals(at("10:50:00"), result.windows().get(0).end());
        assertTrue(result.gaps().isEmpty(), result::toString);

        ArchivedBinlog archive = ArchivedBinlog.read(Storages.open("file://" + root.resolve("idle-archive")), "src");
        assertEquals(List.of(), archive.replayFrom("0-1001-15", new RestorePoint(at("10:40:00"), null)));
        IOException beyond = assertThrows(IOException.class,
                () -> archive.replayFrom("0-1001-15", new RestorePoint(at("10:55:00"), null)));
        assertTrue(beyond.getMessage().contains("nothing newer is archived"), beyond.getMessage());

        RestorePlanner.NewestPoint newest = newest("idle", "idle-archive");
        assertEquals(15, newest.scn());
        assertEquals(at("10:50:00"), newest.time());
        RestorePlanner.NewestPoint withoutArchive = newest("idle", "nothing");
        assertEquals(at("10:10:00"), withoutArchive.time());
        assertTrue(withoutArchive.note().contains("end of the backup chain")
                && withoutArchive.note().contains("there is no archived binlog"), withoutArchive.note());
    }

    @Test
    void aWindowEndsAtItsRoundsCheckpointWhenTheNextRoundDoesNotContinueIt() throws IOException {
        set("rounds", 1, "2026-11-26T10:10:00Z", "0-1001-15");
        piece("rounds-archive", 1, 1, at("10:20:00"),
                file("mysql-bin.000001", "0-1001-5", "0-1001-15", "10:00:00", "10:05:00"));
        piece("rounds-archive", 2, 1, null,
                file("mysql-bin.000009", "0-1001-30", "0-1001-35", "11:00:00", "11:05:00"));
        RestoreWindows.Result result = RestoreWindows.of(Storages.open("file://" + root.resolve("rounds")),
                Storages.open("file://" + root.resolve("rounds-archive")));
        assertEquals(List.of(new RestoreWindows.Window(at("10:10:00"), at("10:20:00"),
                result.windows().get(0).endReason())), result.windows());
        assertTrue(result.windows().get(0).endReason().contains("round 1 was stopped or interrupted with"
                + " mysql-bin.000001; round 2 began later"), result.windows().get(0).endReason());
    }

    @Test
    void theNewestPointReplaysTheContiguousArchiveAndSaysWhereItStops() throws IOException {
        RestorePlanner.NewestPoint newest = newest("data", "archive");
        assertEquals(45, newest.scn());
        assertEquals(at("10:40:00"), newest.time());
        assertTrue(newest.note().contains("from mysql-bin.000004 to mysql-bin.000004"), newest.note());
    }

    @Test
    void aChainLargerThanTheFreeSpaceIsRefusedUpFront() throws IOException {
        Path huge = root.resolve("huge").resolve("backup_set_9_full");
        Files.createDirectories(huge);
        Files.writeString(huge.resolve("manifest.json"), setManifest(9, "2026-11-26T10:00:00Z", "0-1001-9", 1L << 60));
        List<StoredSet> chain = RestorePlanner.chain(Storages.open("file://" + root.resolve("huge")),
                RestorePoint.LATEST);
        ServiceException refused = assertThrows(ServiceException.class,
                () -> RestorePlanner.requireDisk(root.resolve("datadir"), chain, "rsw"));
        assertEquals("OB.Restore.Disk.NotEnough", refused.code().errCode());
        assertTrue(refused.getMessage().contains("Restoring tenant 'rsw' needs"), refused.getMessage());
    }

    /** The newest point of the chain in {@code data} with the archive in {@code archive}. */
    private RestorePlanner.NewestPoint newest(String data, String archive) {
        List<StoredSet> chain = RestorePlanner.chain(Storages.open("file://" + root.resolve(data)),
                RestorePoint.LATEST);
        return RestorePlanner.newest(Storages.open("file://" + root.resolve(archive)), chain.get(chain.size() - 1));
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-26T" + time + "Z");
    }

    private void set(String destination, long id, String endTime, String gtid) throws IOException {
        Path dir = root.resolve(destination).resolve("backup_set_" + id + (id == 1 ? "_full" : "_inc"));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manifest.json"), setManifest(id, endTime, gtid, 1000).replaceFirst("}$",
                id == 1 ? "}" : ",\"parent\":{\"backup_set_id\":" + (id - 1) + ",\"directory\":\"backup_set_" + (id - 1)
                        + (id == 2 ? "_full" : "_inc") + "\"}}"));
    }

    private static String setManifest(long id, String endTime, String gtid, long dataSize) {
        return "{\"format_version\":2,\"backup_set_id\":" + id + ",\"tenant_name\":\"src\",\"start_time\":\""
                + endTime + "\",\"end_time\":\"" + endTime + "\",\"gtid\":\"" + gtid + "\",\"compression\":\"zstd\","
                + "\"encryption\":{\"algorithm\":\"none\"},\"files\":[{\"name\":\"data.xbstream.zst\","
                + "\"source\":\"data.xbstream\",\"source_size\":" + dataSize + "}]}";
    }

    private void piece(String destination, long round, long pieceId, Instant checkpoint, String... files)
            throws IOException {
        Path dir = root.resolve(destination).resolve("round_" + round).resolve("piece_" + pieceId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("manifest.json"), "{\"format_version\":1,\"tenant_name\":\"src\",\"round_id\":"
                + round + ",\"piece_id\":" + pieceId + ",\"start_time\":\"" + at("10:00:00") + "\","
                + "\"compression\":\"zstd\",\"files\":[" + String.join(",", files) + "],\"checkpoint\":"
                + (checkpoint == null ? "null" : "\"" + checkpoint + "\"") + "}");
    }

    private static String file(String name, String start, String end, String firstTime, String lastTime) {
        return "{\"name\":\"" + name + "\",\"stored_name\":\"" + name + ".zst\",\"sha256\":\"" + "0".repeat(64)
                + "\",\"start_gtid_pos\":\"" + start
                + "\",\"end_gtid_pos\":\"" + end + "\",\"first_event_time\":\"" + at(firstTime)
                + "\",\"last_event_time\":\"" + at(lastTime) + "\"}";
    }
}
