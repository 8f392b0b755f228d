package io.tenantbackup.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code TENANT_BACKUP_ALLOWED_ROOTS} over HTTP: destinations outside the roots are refused with 400
 * OB.Storage.URI.NotAllowed and nothing is created; inside them they are read. Reading a huge tree that is allowed
 * ({@code /usr}) stops at the planning time bound with 400 OB.Restore.Plan.Timeout instead of holding the request.
 */
@QuarkusTest
@TestProfile(AllowedRootsApiTest.Roots.class)
class AllowedRootsApiTest {

    /** The data dir's sibling {@code -allowed} and /usr are the only backup roots; planning may take half a second. */
    public static class Roots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tenant-backup.allowed-roots", allowed() + ",/usr",
                    "tenant-backup.restore.planning-timeout", "PT0.5S");
        }
    }

    @Test
    void destinationsOutsideTheAllowedRootsAreRefusedAndInsideThemRead() {
        Path outside = Path.of(allowed() + "-not");
        badRequest().queryParam("data_backup_uri", "file://" + outside.resolve("data")).get("/api/v1/restore/windows")
                .then().statusCode(400).body("error.errCode", equalTo("OB.Storage.URI.NotAllowed"))
                .body("error.message", containsString("outside the allowed backup roots"));
        badRequest().body(Map.of("data_backup_uri", "file://" + outside.resolve("data"), "restore_tenant_name", "ar1"))
                .post("/api/v1/tenant/restore").then().statusCode(400)
                .body("error.errCode", equalTo("OB.Storage.URI.NotAllowed"));
        assertFalse(Files.exists(outside));
        api().queryParam("data_backup_uri", "file://" + allowed().resolve("nothing-yet"))
                .get("/api/v1/restore/windows").then().statusCode(200).body("data.restore_windows", empty());
    }

    @Test
    void readingAHugeAllowedTreeStopsAtThePlanningTimeBound() {
        api().queryParam("data_backup_uri", "file://" + allowed().resolve("warm-up")).get("/api/v1/restore/windows")
                .then().statusCode(200);
        long started = System.nanoTime();
        badRequest().queryParam("data_backup_uri", "file:///usr").get("/api/v1/restore/windows").then()
                .statusCode(400).body("error.errCode", equalTo("OB.Restore.Plan.Timeout"))
                .body("error.message", containsString("did not finish within"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the refusal took " + took);
    }

    private static Path allowed() {
        String dataDir = System.getenv().getOrDefault("TENANT_BACKUP_TEST_DATA_DIR", "/tmp/tenant-backup-test");
        return Path.of(dataDir + "-allowed");
    }
}
