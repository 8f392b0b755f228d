package io.tenantbackup.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.api.BackupApiClient;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 15 item 4 over HTTP with a real tenant: destinations in the service's data dir, the agent key dir, a tenant's
 * datadir, /proc, above the data dir or reached through a symbolic link into one of them are refused by backup config,
 * restore and restore windows with 400 OB.Storage.URI.Protected, and nothing is written there; what a backup does
 * store is 0600 (files) and 0700 (directories).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfinedDestinationApiTest {

    private static final String TENANT = "cd1";

    @Inject
    ServiceConfig config;

    private Path destinations;
    private Path link;

    @BeforeEach
    void tenant() throws Exception {
        if (destinations != null) {
            return;
        }
        removeLeftovers(config.dataDir(), TENANT);
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-cd-dest");
        TestTenant.deleteTree(destinations);
        link = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-cd-link");
        Files.deleteIfExists(link);
        createTenant(TENANT, "cd1-root");
        Files.createSymbolicLink(link, config.dataDir().resolve(TENANT));
    }

    @Test
    @Order(99)
    void drop() throws Exception {
        dropTenant(TENANT);
        Files.deleteIfExists(link);
        TestTenant.deleteTree(destinations);
    }

    @Test
    @Order(1)
    void protectedDirectoriesAreRefusedEverywhereADestinationIsGivenAndNothingIsWritten() throws Exception {
        Path dataDir = config.dataDir().toRealPath();
        Map<Path, String> protectedDestinations = Map.of(
                dataDir.resolve("backups"), "lies inside " + dataDir,
                dataDir.resolve(".agent"), "lies inside " + dataDir,
                dataDir.resolve(TENANT).resolve("data").resolve("backups"), "lies inside " + dataDir,
                dataDir.getParent(), "contains " + dataDir,
                Path.of("/proc/self/cwd"), "lies inside /proc",
                link.resolve("backups"), "lies inside " + dataDir);
        List<String> before = tree(dataDir);
        int unfinished = TenantApiClient.unfinishedDagCount();
        for (Map.Entry<Path, String> destination : protectedDestinations.entrySet()) {
            String uri = "file://" + destination.getKey();
            String safe = "file://" + destinations.resolve("safe");
            refused(badRequest().body(Map.of("data_base_uri", uri, "archive_base_uri", safe))
                    .post("/api/v1/tenant/" + TENANT + "/backup/config"), destination.getValue());
            refused(badRequest().body(Map.of("data_base_uri", safe, "archive_base_uri", uri))
                    .post("/api/v1/tenant/" + TENANT + "/backup/config"), destination.getValue());
            refused(badRequest().body(Map.of("data_backup_uri", uri, "restore_tenant_name", "cdr"))
                    .post("/api/v1/tenant/restore"), destination.getValue());
            refused(badRequest().body(Map.of("data_backup_uri", safe, "archive_log_uri", uri,
                    "restore_tenant_name", "cdr")).post("/api/v1/tenant/restore"), destination.getValue());
            refused(badRequest().queryParam("data_backup_uri", uri).get("/api/v1/restore/windows"),
                    destination.getValue());
        }
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
        assertEquals(before, tree(dataDir));
        assertFalse(Files.exists(dataDir.resolve(TENANT).resolve("backups")));
        assertFalse(Files.exists(destinations.resolve("safe")));
    }

    @Test
    @Order(2)
    void storedFilesAre0600AndDirectories0700() throws Exception {
        BackupApiClient.configureBackup(TENANT, destinations.resolve("perm"));
        BackupApiClient.fullBackup(TENANT);
        List<Path> stored;
        try (Stream<Path> tree = Files.walk(destinations.resolve("perm"))) {
            stored = tree.toList();
        }
        assertFalse(stored.stream().noneMatch(path -> path.getFileName().toString().equals("manifest.json")));
        for (Path path : stored) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
            assertEquals(Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------", mode,
                    path.toString());
        }
    }

    private static void refused(io.restassured.response.Response response, String why) {
        response.then().statusCode(400).body("error.errCode", equalTo("OB.Storage.URI.Protected"))
                .body("error.message", containsString(why))
                .body("error.message", containsString("choose a directory apart from them"));
    }

    /** Names down to two levels below the data dir: where a refused destination would have put a set or a probe. */
    private static List<String> tree(Path dataDir) throws Exception {
        try (Stream<Path> tree = Files.walk(dataDir, 2)) {
            return tree.map(path -> dataDir.relativize(path).toString()).sorted().toList();
        }
    }
}
