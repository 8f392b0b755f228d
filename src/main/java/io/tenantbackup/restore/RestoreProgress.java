package io.tenantbackup.restore;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Live progress of running restores, for the overview: bytes of backup stream extracted, sets prepared, and the GTID
 * seq_no the binlog replay has reached. Kept in memory by the instance running the restore.
 */
@ApplicationScoped
public class RestoreProgress {

    /** Shares of {@code recover_progress}: extraction up to 50 %, prepare up to 70 %, replay up to 99 %. */
    static final int EXTRACTED = 50;
    static final int PREPARED = 70;
    static final int REPLAYED = 99;

    private final Map<String, Live> byTenant = new ConcurrentHashMap<>();

    private static final class Live {
        final AtomicLong bytes = new AtomicLong();
        volatile int sets = 1;
        volatile int prepared;
        volatile long replayFrom;
        volatile long replayTo;
        volatile long replayed;
    }

    void start(String tenant, int sets) {
        Live live = new Live();
        live.sets = Math.max(1, sets);
        byTenant.put(tenant, live);
    }

    /** The extraction of one set whose stream has {@code streamBytes}: counted as its files are written. */
    SetExtraction extracting(String tenant, long streamBytes) {
        return new SetExtraction(live(tenant).bytes, streamBytes);
    }

    static final class SetExtraction implements LongConsumer {
        private final AtomicLong total;
        private final long streamBytes;
        private long counted;

        private SetExtraction(AtomicLong total, long streamBytes) {
            this.total = total;
            this.streamBytes = streamBytes;
        }

        @Override
        public void accept(long bytes) {
            count(Math.min(streamBytes, counted + bytes));
        }

        void done() {
            count(streamBytes);
        }

        private void count(long upTo) {
            if (upTo > counted) {
                total.addAndGet(upTo - counted);
                counted = upTo;
            }
        }
    }

    /** {@code count} sets of the chain are prepared (the full, then each incremental applied). */
    void prepared(String tenant, int count) {
        live(tenant).prepared = count;
    }

    /** The replay goes from GTID seq_no {@code from} to at most {@code to}. */
    void replaying(String tenant, long from, long to) {
        Live live = live(tenant);
        live.replayFrom = from;
        live.replayed = from;
        live.replayTo = to;
    }

    void replayed(String tenant, long seqNo) {
        live(tenant).replayed = seqNo;
    }

    long finishBytes(String tenant) {
        Live live = byTenant.get(tenant);
        return live == null ? 0 : live.bytes.get();
    }

    /** The GTID seq_no the replay has reached, 0 when none runs or ran. */
    long replayedSeqNo(String tenant) {
        Live live = byTenant.get(tenant);
        return live == null ? 0 : live.replayed;
    }

    /**
     * How far the restore is, in percent: extraction by bytes, prepare by sets, replay by GTID seq_no. 100 is only
     * reported for a restore that succeeded (the caller's), so a running one stays at most {@link #REPLAYED}.
     */
    int percent(String tenant, long totalBytes) {
        Live live = byTenant.get(tenant);
        if (live == null) {
            return 0;
        }
        if (live.replayTo > 0) {
            long span = live.replayTo - live.replayFrom;
            long done = Math.min(span, Math.max(0, live.replayed - live.replayFrom));
            return PREPARED + (int) (span <= 0 ? 0 : (REPLAYED - PREPARED) * done / span);
        }
        if (live.prepared > 0) {
            return EXTRACTED + (PREPARED - EXTRACTED) * live.prepared / live.sets;
        }
        return totalBytes <= 0 ? 0 : (int) Math.min(EXTRACTED, EXTRACTED * live.bytes.get() / totalBytes);
    }

    private Live live(String tenant) {
        return byTenant.computeIfAbsent(tenant, name -> new Live());
    }
}
