package io.tenantbackup.testing;

/** Whether stored bytes hold a plaintext sequence (a marker written into a row, the binlog magic). */
public final class ByteSearch {

    /** What every binlog file starts with. */
    public static final byte[] BINLOG_MAGIC = {(byte) 0xfe, 'b', 'i', 'n'};

    private ByteSearch() {
    }

    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
