package io.tenantbackup.restore;

import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The points a destination can be restored to: from each backup set's consistent point through the archived binlog
 * that continues its GTID without a gap; overlapping windows are merged, and each gap between two windows carries
 * the reason the earlier one ends.
 */
public final class RestoreWindows {

    public record Window(Instant start, Instant end, String endReason) {
    }

    public record Gap(Instant start, Instant end, String reason) {
    }

    public record Result(List<Window> windows, List<Gap> gaps) {
    }

    private RestoreWindows() {
    }

    static Result of(BackupStorage data, BackupStorage archive) throws IOException {
        List<Window> raw = new ArrayList<>();
        List<BackupChain.Link> sets = BackupChain.read(data).all();
        Map<String, ArchivedBinlog> archivedByTenant = new HashMap<>();
        for (BackupChain.Link set : sets) {
            Instant point = Instant.parse(set.manifest().endTime());
            ArchivedBinlog archived = archivedByTenant.get(set.manifest().tenantName());
            if (archived == null) {
                archived = ArchivedBinlog.read(archive, set.manifest().tenantName());
                archivedByTenant.put(set.manifest().tenantName(), archived);
            }
            ArchivedBinlog.Run run = archived.contiguousFrom(set.manifest().gtid());
            Instant end = run.lastEventTime() == null || run.lastEventTime().isBefore(point) ? point : run.lastEventTime();
            raw.add(new Window(point, end, "after backup set " + set.id() + ": " + run.endReason()));
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
}
