package io.tenantbackup.storage;

import io.tenantbackup.error.ServiceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageUriTest {

    @Test
    void acceptsAbsoluteNormalizedFilePaths() {
        assertEquals("/backup/t1", StorageUri.parse("file:///backup/t1").localPath().toString());
        assertEquals("file:///backup/t1/x", StorageUri.parse("file:///backup/t1/").resolve("x").toString());
    }

    @Test
    void refusesForeignPrefixesAsInvalid() {
        for (String uri : new String[] {"ftp://h/x", "/backup", "", "FILE:///x", "file:/x"}) {
            assertEquals("OB.Storage.URI.Invalid", code(uri), uri);
        }
        assertEquals("OB.Storage.URI.Invalid", code(null));
    }

    @Test
    void refusesObshellSchemesNotBuiltYetWithoutLeakingKeys() {
        ServiceException e = assertThrows(ServiceException.class,
                () -> StorageUri.parse("s3://bucket/dir?host=h&access_id=AK&access_key=SECRET"));
        assertEquals("OB.Storage.URI.NotSupported", e.code().errCode());
        assertTrue(e.getMessage().contains("is not supported yet; use file://"), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        assertEquals("OB.Storage.URI.NotSupported", code("oss://b/d"));
        assertEquals("OB.Storage.URI.NotSupported", code("cos://b/d"));
    }

    @Test
    void refusesUnsafeFilePaths() {
        for (String uri : new String[] {"file://relative/dir", "file:///a/../b", "file:///a/./b", "file:///a//b",
                "file:///a/b\n", "file:///a\u0000b", "file://"}) {
            assertEquals("OB.Storage.URI.Invalid", code(uri), uri);
        }
    }

    private static String code(String uri) {
        return assertThrows(ServiceException.class, () -> StorageUri.parse(uri)).code().errCode();
    }
}
