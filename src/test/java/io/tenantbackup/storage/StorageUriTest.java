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
        assertEquals("/backup/t1", FileDriver.localPath(StorageUri.parse("file:///backup/t1")).toString());
        assertEquals("file:///backup/t1/x", StorageUri.parse("file:///backup/t1/").resolve("x").toString());
    }

    @Test
    void refusesForeignPrefixesAsInvalid() {
        for (String uri : new String[] {"ftp://h/x", "/backup", "", "FILE:///x", "file:/x", "S3://b/k?host=h"}) {
            assertEquals("invalid uri protocol, it must start with oss://, cos://, s3:// or file://", reason(uri), uri);
        }
        assertTrue(reason(null).startsWith("invalid uri protocol"));
    }

    @Test
    void refusesUnsafeFilePaths() {
        assertEquals("invalid file path, must start with '/'", reason("file://relative/dir"));
        assertEquals("invalid file path, contains invalid character '?'", reason("file:///a?b"));
        for (String uri : new String[] {"file:///a/../b", "file:///a/./b", "file:///a//b", "file:///a/b\n",
                "file:///a\u0000b", "file://"}) {
            assertEquals("OB.Storage.URI.Invalid", error(uri).code().errCode(), uri);
        }
    }

    @Test
    void objectUrisFollowObshellsGrammarAndReasons() {
        assertEquals("invalid url format", reason("s3://bucket"));
        assertEquals("invalid url format, missing query params", reason("s3://bucket/key"));
        assertEquals("invalid url format, missing query params", reason("oss://bucket/key?"));
        assertEquals("cos appid is required", reason("cos://bucket/key?host=cos.ap-x.myqcloud.com&access_id=a&access_key=b"));
        assertEquals("invalid delete_mode 'drop', it must be delete or tagging", reason("s3://b/k?host=h&delete_mode=drop"));
        assertEquals("invalid url format, bad escape in query params", reason("s3://b/k?host=%zz"));

        ObjectUri s3 = ObjectUri.parse("s3", "s3://bucket/a/b/?host=http://127.0.0.1:9000&access_id=AK&access_key=S+K/x%3D"
                + "&s3_region=us-east-1&delete_mode=tagging&force_path_style=true&unknown=1");
        assertEquals("bucket", s3.bucket());
        assertEquals("a/b", s3.key());
        assertEquals("http://127.0.0.1:9000", s3.host());
        assertEquals("S+K/x=", s3.accessKey(), "'+' is literal, escapes are decoded");
        assertEquals("us-east-1", s3.region());
        assertTrue(s3.forcePathStyle());
        assertEquals("a/b/backup_set_1/data", s3.objectKey("backup_set_1/data"));
        assertEquals("", ObjectUri.parse("oss", "oss://bucket/?host=h").key());
    }

    @Test
    void redactionRemovesTheKeysAndKeepsWhereTheDataGoes() {
        StorageUri uri = StorageUri.parse("s3://bucket/t1/data?host=http://127.0.0.1:9000&access_id=AKID&access_key=SECRET+1"
                + "&force_path_style=true");
        assertEquals("s3://bucket/t1/data?host=http://127.0.0.1:9000&force_path_style=true", uri.toString());
        assertEquals("s3://bucket/t1/data/backup_set_1_full?host=http://127.0.0.1:9000&force_path_style=true",
                uri.resolve("backup_set_1_full").toString());
        assertTrue(uri.resolve("x").withCredentials().contains("access_key=SECRET+1"));
        assertTrue(uri.carriesCredentials());
        assertEquals("cos://b-125/k?host=cos.ap-guangzhou.myqcloud.com&appid=125&delete_mode=delete",
                StorageUri.parse("cos://b-125/k?host=cos.ap-guangzhou.myqcloud.com&access_id=a&access_key=SECRET&appid=125"
                        + "&delete_mode=delete").toString());
        assertFalse(StorageUri.parse("file:///backup").carriesCredentials());
    }

    @Test
    void messagesNeverShowTheQuery() {
        ServiceException e = error("cos://bucket/key?host=h&access_id=AK&access_key=SECRET");
        assertEquals("Invalid storage URI: cos appid is required ('cos://bucket/key?<hidden>')", e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"));
    }

    @Test
    void userGivenUrisAreShownWithoutKeysEvenWhenInvalid() {
        assertEquals("s3://b/k?host=h", StorageUri.shown("s3://b/k?host=h&access_id=AK&access_key=SK"));
        assertEquals("cos://b/k?<hidden>", StorageUri.shown("cos://b/k?host=h&access_id=AK&access_key=SK"));
        assertEquals("file:///x", StorageUri.shown("file:///x"));
    }

    private static String reason(String uri) {
        String message = error(uri).getMessage();
        return message.substring("Invalid storage URI: ".length(), message.lastIndexOf(" ('"));
    }

    private static ServiceException error(String uri) {
        ServiceException e = assertThrows(ServiceException.class, () -> StorageUri.parse(uri));
        assertEquals("OB.Storage.URI.Invalid", e.code().errCode());
        return e;
    }
}
