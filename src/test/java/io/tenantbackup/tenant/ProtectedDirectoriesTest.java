package io.tenantbackup.tenant;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.error.ServiceException;
import io.tenantbackup.storage.DestinationConfinement;
import io.tenantbackup.storage.StorageUri;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The homes the service protects come from the tenant rows at each check, wherever a home lies: a tenant another agent
 * is restoring into a home outside this service's data dir protects that home as soon as its row exists, and no longer
 * once the row is gone.
 */
@QuarkusTest
class ProtectedDirectoriesTest {

    private static final String TENANT = "pd1";

    @Inject
    ServiceConfig config;
    @Inject
    TenantStore store;

    @Test
    void aTenantHomeOutsideTheDataDirIsProtectedWhileItsRowExists() {
        Path home = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-pd-elsewhere").resolve(TENANT);
        StorageUri inside = StorageUri.parse("file://" + home.resolve("backups"));
        StorageUri above = StorageUri.parse("file://" + home.getParent());
        assertDoesNotThrow(() -> DestinationConfinement.installed().check(inside));
        QuarkusTransaction.requiringNew().run(() -> store.insert(row(home)));
        try {
            assertTrue(refusal(inside).contains("lies inside " + home), refusal(inside));
            assertTrue(refusal(above).contains("contains " + home), refusal(above));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> store.deleteIf(TENANT, TenantStatus.RESTORING));
        }
        assertDoesNotThrow(() -> DestinationConfinement.installed().check(inside));
    }

    private static String refusal(StorageUri uri) {
        ServiceException refused = assertThrows(ServiceException.class,
                () -> DestinationConfinement.installed().check(uri));
        assertEquals("OB.Storage.URI.Protected", refused.code().errCode());
        return refused.getMessage();
    }

    /** The row of a tenant another agent restores: not supervised here. */
    private static TenantEntity row(Path home) {
        TenantEntity row = new TenantEntity();
        row.name = TENANT;
        row.status = TenantStatus.RESTORING;
        row.homeDir = home.toString();
        row.charset = "utf8mb4";
        row.collation = "utf8mb4_general_ci";
        row.variablesJson = "{}";
        row.createRequestJson = "{}";
        row.ownerAgent = "another-agent:2886";
        return row;
    }
}
