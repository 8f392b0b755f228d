package io.tenantbackup.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Writes xbstream chunks as mariabackup does (the layout of its xbstream_write.cc), for crafted backup streams. */
public final class XbstreamChunks {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public XbstreamChunks payload(String path, long offset, String data) {
        return chunk((byte) 'P', 0, path, offset, data);
    }

    public XbstreamChunks chunk(byte type, int flags, String path, long offset, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        header(type, flags, path);
        out.writeBytes(ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes.length)
                .putLong(offset).putInt((int) crc.getValue()).array());
        out.writeBytes(bytes);
        return this;
    }

    public XbstreamChunks end(String path) {
        header((byte) 'E', 0, path);
        return this;
    }

    private void header(byte type, int flags, String path) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        out.writeBytes("XBSTCK01".getBytes(StandardCharsets.US_ASCII));
        out.write(flags);
        out.write(type);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(name.length).array());
        out.writeBytes(name);
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
