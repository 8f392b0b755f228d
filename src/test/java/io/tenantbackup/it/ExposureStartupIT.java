package io.tenantbackup.it;

import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service refuses to start as an open admin API on the network or on the metadata account everyone
 * knows, and its output says which setting to change. Its own metadata database: tenant_backup_it_exposure.
 */
class ExposureStartupIT {

    private static final String DB = "tenant_backup_it_exposure";
    private static final Path DATA_DIR = Path.of("/tmp/tb-itex");
    private static final Path LOG = Path.of("target/it-exposure.log");

    @BeforeEach
    void emptyDatabaseAndLog() throws Exception {
        ServiceProcess.recreateDatabase(DB);
        TestTenant.deleteTree(DATA_DIR);
        Files.deleteIfExists(LOG);
    }

    @Test
    void anyAddressWithoutPasswordDoesNotStart() throws Exception {
        assertNotEquals(0, service().with("QUARKUS_HTTP_HOST", "0.0.0.0").startAndAwaitExit());
        assertTrue(Files.readString(LOG).contains("tenant-backup refuses to start: The API listens on 0.0.0.0, a"
                + " non-loopback address, without a password: set TENANT_BACKUP_ROOT_PASSWORD"), "see " + LOG);
    }

    @Test
    void theDefaultMetadataAccountDoesNotStartUnlessAllowed() throws Exception {
        assertNotEquals(0, service().with("TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS", "false").startAndAwaitExit());
        assertTrue(Files.readString(LOG).contains("tenant-backup refuses to start: The metadata database account is"
                + " the default tenant_backup/tenant_backup"), "see " + LOG);
    }

    private static ServiceProcess service() throws Exception {
        return new ServiceProcess(DATA_DIR, TestTenant.freePort(), "jdbc:mysql://127.0.0.1:3306/" + DB, LOG);
    }
}
