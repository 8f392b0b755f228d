package io.tenantbackup.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a backup relies on when it hands mariabackup's stdout to zstd through {@link ReadAhead#transferTo}. */
class ReadAheadTest {

    private static final int CHUNK = 4096;

    @Test
    void transferToWritesEveryByteInOrderAcrossChunks() throws IOException {
        byte[] source = new byte[10 * CHUNK + 123];
        new Random(7).nextBytes(source);
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        try (ReadAhead ahead = ReadAhead.start(new ByteArrayInputStream(source), CHUNK, 2, "test")) {
            assertEquals(source.length, ahead.transferTo(copied));
            assertEquals(-1, ahead.read());
        }
        assertArrayEquals(source, copied.toByteArray());
    }

    @Test
    void aFailingSourceFailsTransferToWithItsExceptionAfterTheBytesBeforeIt() throws IOException {
        byte[] before = new byte[3 * CHUNK];
        IOException broken = new IOException("pipe broken");
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(before), new InputStream() {
            @Override
            public int read() throws IOException {
                throw broken;
            }
        });
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        try (ReadAhead ahead = ReadAhead.start(failing, CHUNK, 2, "test")) {
            assertSame(broken, assertThrows(IOException.class, () -> ahead.transferTo(copied)));
        }
        assertEquals(before.length, copied.size());
    }
}
