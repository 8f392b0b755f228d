package io.tenantbackup.storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
 * OB.Storage.URI.NotAllowed and nothing is created; inside them they are read. Reading an allowed destination that
 * holds too many backup sets to read in time stops at the planning time bound with 400 OB.Restore.Plan.Timeout
 * instead of holding the request.
 */
@QuarkusTest
@TestProfile(AllowedRootsApiTest.Roots.class)
class AllowedRootsApiTest {

    /** Sets a destination may hold without being readable within the half second planning may take. */
    private static final int MANY_SETS = 20_000;

    /** The data dir's sibling {@code -allowed} is the only backup root; planning may take half a second. */
    public static class Roots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tenant-backup.allowed-roots", allowed().toString(),
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
    void readingADestinationOfTooManySetsStopsAtThePlanningTimeBound() throws IOException {
        api().queryParam("data_backup_uri", "file://" + allowed().resolve("warm-up")).get("/api/v1/restore/windows")
                .then().statusCode(200);
        Path many = allowed().resolve("many-sets");
        try {
            for (int id = 1; id <= MANY_SETS; id++) {
                Path set = Files.createDirectories(many.resolve("backup_set_" + id + "_full"));
                Files.writeString(set.resolve("manifest.json"), fullSetManifest(id));
            }
            long started = System.nanoTime();
            badRequest().queryParam("data_backup_uri", "file://" + many).get("/api/v1/restore/windows").then()
                    .statusCode(400).body("error.errCode", equalTo("OB.Restore.Plan.Timeout"))
                    .body("error.message", containsString("did not finish within"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the refusal took " + took);
        } finally {
            TestTenant.deleteTree(many);
        }
    }

    /** The smallest manifest of an unencrypted full set that the manifest checks accept. */
    private static String fullSetManifest(long id) {
        return "{\"format_version\":2,\"backup_set_id\":" + id + ",\"tenant_name\":\"src\","
                + "\"start_time\":\"2026-11-26T10:00:00Z\",\"end_time\":\"2026-11-26T10:00:00Z\","
                + "\"gtid\":\"0-1-" + id + "\",\"compression\":\"zstd\",\"encryption\":{\"algorithm\":\"none\"},"
                + "\"files\":[{\"name\":\"data.xbstream.zst\",\"source\":\"data.xbstream\",\"source_size\":1}]}";
    }

    private static Path allowed() {
        String dataDir = System.getenv().getOrDefault("TENANT_BACKUP_TEST_DATA_DIR", "/tmp/tenant-backup-test");
        return Path.of(dataDir + "-allowed");
    }
}
