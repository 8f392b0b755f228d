package io.tenantbackup.archive;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * What a piece manifest says about one closed binlog file, read from its event headers (binlog format v4): the first
 * and last GTID of the file, the GTID position before its first and after its last transaction, and the first and
 * last event time. Only GTID and GTID-list event bodies are read; row events are skipped.
 */
record BinlogSummary(long size, String firstGtid, String lastGtid, GtidPosition startPosition,
                     GtidPosition endPosition, Instant firstEventTime, Instant lastEventTime) {

    private static final byte[] MAGIC = {(byte) 0xfe, 'b', 'i', 'n'};
    private static final int HEADER_SIZE = 19;
    private static final int GTID_EVENT = 162;
    private static final int GTID_LIST_EVENT = 163;

    static BinlogSummary read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (!Arrays.equals(in.readNBytes(4), MAGIC)) {
                throw new IOException(file + " is not a binlog file (bad magic number)");
            }
            return new Reader(file).read(in, Files.size(file));
        }
    }

    private static final class Reader {
        private final Path file;
        private GtidPosition start;
        private GtidPosition end = GtidPosition.EMPTY;
        private String first;
        private String last;
        private long firstTime = Long.MAX_VALUE;
        private long lastTime;

        Reader(Path file) {
            this.file = file;
        }

        BinlogSummary read(DataInputStream in, long size) throws IOException {
            byte[] header = new byte[HEADER_SIZE];
            long offset = 4;
            while (offset < size) {
                try {
                    in.readFully(header);
                } catch (EOFException e) {
                    throw new IOException(file + " ends inside the event header at offset " + offset, e);
                }
                long time = uint32(header, 0);
                int type = header[4] & 0xff;
                long serverId = uint32(header, 5);
                long length = uint32(header, 9);
                if (length < HEADER_SIZE) {
                    throw new IOException(file + " has a corrupt event at offset " + offset);
                }
                byte[] body = type == GTID_EVENT || type == GTID_LIST_EVENT
                        ? in.readNBytes((int) (length - HEADER_SIZE)) : skip(in, length - HEADER_SIZE, offset);
                if (time > 0) {
                    firstTime = Math.min(firstTime, time);
                    lastTime = Math.max(lastTime, time);
                }
                if (type == GTID_LIST_EVENT && start == null) {
                    start = gtidList(body);
                    end = start;
                } else if (type == GTID_EVENT) {
                    String gtid = uint32(body, 8) + "-" + serverId + "-" + Long.toUnsignedString(int64(body, 0));
                    first = first == null ? gtid : first;
                    last = gtid;
                    end = end.with(gtid);
                }
                offset += length;
            }
            return new BinlogSummary(size, first, last, start == null ? GtidPosition.EMPTY : start, end,
                    firstTime == Long.MAX_VALUE ? null : Instant.ofEpochSecond(firstTime),
                    lastTime == 0 ? null : Instant.ofEpochSecond(lastTime));
        }

        private byte[] skip(DataInputStream in, long count, long offset) throws IOException {
            try {
                in.skipNBytes(count);
            } catch (EOFException e) {
                throw new IOException(file + " ends inside the event at offset " + offset, e);
            }
            return null;
        }
    }

    /** GTID list event body: a count (low 28 bits), then domain_id(4), server_id(4), seq_no(8) per domain. */
    private static GtidPosition gtidList(byte[] body) {
        long count = uint32(body, 0) & 0x0fffffffL;
        GtidPosition position = GtidPosition.EMPTY;
        for (int i = 0; i < count; i++) {
            int at = 4 + i * 16;
            position = position.with(uint32(body, at) + "-" + uint32(body, at + 4) + "-"
                    + Long.toUnsignedString(int64(body, at + 8)));
        }
        return position;
    }

    private static long uint32(byte[] bytes, int at) {
        return (bytes[at] & 0xffL) | (bytes[at + 1] & 0xffL) << 8 | (bytes[at + 2] & 0xffL) << 16
                | (bytes[at + 3] & 0xffL) << 24;
    }

    private static long int64(byte[] bytes, int at) {
        return uint32(bytes, at) | uint32(bytes, at + 4) << 32;
    }
}
