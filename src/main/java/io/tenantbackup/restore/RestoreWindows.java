package io.tenantbackup.restore;

import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * The points a destination can be restored to: from each backup set's consistent point through the archived binlog
 * that continues its GTID without a gap, up to the time the archive is known complete; overlapping windows are
 * merged, and each gap between two windows carries the reason the earlier one ends. A restore to the newest point
 * goes to the end of the newest set's window, decided by the same code. A set its latest verification found invalid
 * or missing, and every set built on it, offers no window.
 */
public final class RestoreWindows {

    public record Window(Instant start, Instant end, String endReason) {
    }

    public record Gap(Instant start, Instant end, String reason) {
    }

    public record Result(List<Window> windows, List<Gap> gaps) {
    }

    /** How far one set reaches with the archive: its window and the archived files it replays to get there. */
    record Reach(StoredSet set, Window window, ArchivedBinlog.Run run) {
        /** The GTID seq_no at the end of the window. */
        long endSeq() {
            return run.endSeq(Gtids.seqNo(set.manifest().gtid()));
        }
    }

    private RestoreWindows() {
    }

    static Result of(BackupStorage data, BackupStorage archive) throws IOException {
        return of(data, archive, Set.of());
    }

    /** As {@link #of(BackupStorage, BackupStorage)}, without the windows of sets resting on one of {@code invalid}. */
    static Result of(BackupStorage data, BackupStorage archive, Set<Long> invalid) throws IOException {
        Map<String, ArchivedBinlog> archives = new HashMap<>();
        List<Window> raw = new ArrayList<>();
        Set<Long> unusable = new HashSet<>(invalid);
        for (StoredSet set : BackupSets.in(data).list()) {
            BackupSetManifest.Parent parent = set.manifest().parent();
            if (unusable.contains(set.id()) || parent != null && unusable.contains(parent.backupSetId())) {
                unusable.add(set.id());
                continue;
            }
            String tenant = set.manifest().tenantName();
            ArchivedBinlog binlog = archives.get(tenant);
            if (binlog == null) {
                binlog = ArchivedBinlog.read(archive, tenant);
                archives.put(tenant, binlog);
            }
            raw.add(reach(set, binlog).window());
        }
        raw.sort(Comparator.comparing(Window::start));
        List<Window> merged = new ArrayList<>();
        for (Window window : raw) {
            Window last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !window.start().isAfter(last.end())) {
                merged.set(merged.size() - 1, window.end().isAfter(last.end())
                        ? new Window(last.start(), window.end(), window.endReason()) : last);
            } else {
                merged.add(window);
            }
        }
        List<Gap> gaps = new ArrayList<>();
        for (int index = 1; index < merged.size(); index++) {
            Window before = merged.get(index - 1);
            gaps.add(new Gap(before.end(), merged.get(index).start(), before.endReason()));
        }
        return new Result(List.copyOf(merged), List.copyOf(gaps));
    }

    /** The window of one set: from its consistent point to where the archive continuing it is known complete. */
    static Reach reach(StoredSet set, ArchivedBinlog archive) {
        Instant point = Instant.parse(set.manifest().endTime());
        ArchivedBinlog.Run run = archive.contiguousFrom(set.manifest().gtid());
        Instant end = run.end() == null || run.end().isBefore(point) ? point : run.end();
        return new Reach(set, new Window(point, end, "after backup set " + set.id() + ": " + run.endReason()), run);
    }
}
