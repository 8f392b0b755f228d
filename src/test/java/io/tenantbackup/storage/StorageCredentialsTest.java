package io.tenantbackup.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageCredentialsTest {

    @Test
    void aRedactedUriIsCompletedWithTheKeysRememberedForItOrAParent() {
        StorageUri config = StorageUri.parse("s3://creds-test/t1/data?host=http://h:9000&access_id=AK&access_key=S+K");
        StorageUri shown = StorageUri.parse(config.toString());
        assertFalse(shown.carriesCredentials());
        assertFalse(StorageCredentials.known(shown));
        assertEquals(shown, StorageCredentials.complete(shown), "nothing remembered yet: as given");

        StorageCredentials.remember(config);
        assertEquals(config.withCredentials(), StorageCredentials.complete(shown).withCredentials());
        StorageUri set = StorageUri.parse(config.resolve("backup_set_1_full").toString());
        assertEquals("s3://creds-test/t1/data/backup_set_1_full?host=http://h:9000&access_id=AK&access_key=S+K",
                StorageCredentials.complete(set).withCredentials());
        assertTrue(StorageCredentials.known(set));

        StorageUri sibling = StorageUri.parse("s3://creds-test/t1/database?host=http://h:9000");
        StorageUri otherHost = StorageUri.parse("s3://creds-test/t1/data/x?host=http://other:9000");
        assertFalse(StorageCredentials.known(sibling), "a name prefix is not a parent directory");
        assertFalse(StorageCredentials.known(otherHost), "another endpoint is another destination");
        assertTrue(StorageCredentials.known(StorageUri.parse("file:///backup")));
    }
}
