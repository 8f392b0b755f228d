package io.tenantbackup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.api.BackupApiClient;
import io.tenantbackup.api.TenantApiClient;
import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TestTenant;
import io.tenantbackup.testing.XbstreamChunks;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 item 2: a destination is untrusted input. A real tenant's real backups (a full, an encrypted incremental)
 * and archive are copied and tampered with as someone with write access to the destination would: piece-manifest
 * names that climb out of the staging or are absolute, a set that is its own parent, KDF and segment parameters
 * that would hang or exhaust the service, too many decryption passwords, an {@code .isl} that places a tablespace
 * outside the datadir, a piece manifest rewritten while a restore runs. Each is refused with a clear 400 or a FAILED
 * restore, quickly, and nothing is written outside.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UntrustedBackupApiTest {

    private static final String SOURCE = "ub1";
    private static final String ROOT_PASSWORD = "ub1-root";
    private static final String INC_PASSWORD = "ub-inc-pass";
    private static final String RESTORE = "/api/v1/tenant/restore";
    /** Far below what an unbounded KDF or chain walk would take; a refusal must not cost the service. */
    private static final Duration QUICK = Duration.ofSeconds(10);

    @Inject
    ServiceConfig config;

    private final ObjectMapper json = new ObjectMapper();
    private Path destinations;
    /** A point after the last backup that only the archive reaches. */
    private Instant inTheArchive;

    @BeforeEach
    void sourceWithTwoBackupsAndAnArchive() throws Exception {
        if (destinations != null) {
            return;
        }
        for (String name : List.of(SOURCE, "ubi", "ubx", "ubr")) {
            removeLeftovers(config.dataDir(), name);
        }
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-ub-dest");
        TestTenant.deleteTree(destinations);
        int port = createTenant(SOURCE, ROOT_PASSWORD).getInt("connection.port");
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("USE shop");
            sql.execute("CREATE TABLE shop.items (id INT PRIMARY KEY, note VARCHAR(64)) ENGINE=InnoDB");
            sql.execute("INSERT INTO shop.items SELECT seq, CONCAT('item-', seq) FROM seq_1_to_2000");
            String dagId = api().body(Map.of("data_base_uri", "file://" + destinations.resolve("data"),
                            "archive_base_uri", "file://" + destinations.resolve("archive"), "archive_lag_target", "2s"))
                    .post("/api/v1/tenant/" + SOURCE + "/backup/config").then().statusCode(200).extract().path("data.id");
            assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
            BackupApiClient.fullBackup(SOURCE);
            sql.execute("INSERT INTO shop.items VALUES (5001, 'after the full')");
            BackupApiClient.backup(SOURCE, "{\"mode\":\"incremental\",\"encryption\":\"" + INC_PASSWORD + "\"}");
            sql.execute("INSERT INTO shop.items VALUES (6001, 'archived only')");
            sql.execute("FLUSH BINARY LOGS");
            sleep(1100);
            inTheArchive = Instant.now();
            sleep(1100);
            sql.execute("INSERT INTO shop.items VALUES (6002, 'archived only')");
            sql.execute("FLUSH BINARY LOGS");
            try (ResultSet gtid = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
                gtid.next();
                awaitArchived(Gtids.seqNo(gtid.getString(1)));
            }
        }
    }

    @Test
    @Order(1)
    void archivedNamesThatClimbOutOfTheStagingOrAreAbsoluteAreRefusedAndWriteNothing() throws Exception {
        Path climbing = Path.of("/tmp", config.dataDir().getFileName() + "-victim-climb");
        Path absolute = Path.of("/tmp", config.dataDir().getFileName() + "-victim-abs");
        Files.deleteIfExists(climbing);
        Files.deleteIfExists(absolute);
        Path archive = copy("archive", "archive-names");
        Path manifest = pieceManifests(archive).get(0);
        rewrite(manifest, piece -> {
            ArrayNode files = (ArrayNode) piece.path("files");
            ((ObjectNode) files.get(0)).put("name", "../../../../tmp/" + climbing.getFileName());
            ((ObjectNode) files.get(files.size() - 1)).put("name", absolute.toString());
        });
        int unfinished = TenantApiClient.unfinishedDagCount();
        badRequest().body(Map.of("data_backup_uri", uri("data"), "archive_log_uri", "file://" + archive,
                        "restore_tenant_name", "ubx", "timestamp", inTheArchive.toString(),
                        "decryption", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Point.NotRestorable"))
                .body("error.message", containsString(manifest.getFileName() + " is not a piece manifest this"
                        + " service writes: file name '../../../../tmp/" + climbing.getFileName() + "' is not a valid name"));
        badRequest().queryParam("data_backup_uri", uri("data")).queryParam("archive_log_uri", "file://" + archive)
                .get("/api/v1/restore/windows").then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.BackupSet.Unreadable"));
        rewrite(manifest, piece -> ((ObjectNode) piece.path("files").get(0)).put("name", absolute.toString()));
        badRequest().body(Map.of("data_backup_uri", uri("data"), "archive_log_uri", "file://" + archive,
                        "restore_tenant_name", "ubx", "timestamp", inTheArchive.toString(),
                        "decryption", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(400)
                .body("error.message", containsString("file name '" + absolute + "' is not a valid name"));
        assertEquals(unfinished, TenantApiClient.unfinishedDagCount());
        assertFalse(Files.exists(climbing));
        assertFalse(Files.exists(absolute));
        assertFalse(Files.exists(config.dataDir().resolve("ubx")));
        assertFalse(Files.exists(config.dataDir().resolve(".restore").resolve("ubx")));
    }

    @Test
    @Order(2)
    void aSetThatIsItsOwnParentIsRefusedQuickly() throws Exception {
        Path data = copy("data", "data-loop");
        Path incremental = setDirectory(data, "_inc");
        long id = json.readTree(incremental.resolve("manifest.json").toFile()).path("backup_set_id").asLong();
        rewrite(incremental.resolve("manifest.json"), set -> ((ObjectNode) set.path("parent"))
                .put("backup_set_id", id).put("directory", incremental.getFileName().toString()));
        long started = System.nanoTime();
        badRequest().body(Map.of("data_backup_uri", "file://" + data, "restore_tenant_name", "ubx",
                        "decryption", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.BackupSet.Unreadable"))
                .body("error.message", containsString("loops back to backup set " + id));
        assertQuick(started);
        assertFalse(Files.exists(config.dataDir().resolve("ubx")));
    }

    @Test
    @Order(3)
    void kdfAndSegmentParametersOutsideTheirBoundsAreRefusedBeforeAnyDerivation() throws Exception {
        Map<String, Consumer<ObjectNode>> tampering = Map.of(
                "KDF iterations 2147483647 is outside 1..10",
                encryption -> ((ObjectNode) encryption.path("kdf")).put("iterations", Integer.MAX_VALUE),
                "KDF memory_kib 2147483647 is outside 1024..262144",
                encryption -> ((ObjectNode) encryption.path("kdf")).put("memory_kib", Integer.MAX_VALUE),
                "KDF parallelism 255 is outside 1..4",
                encryption -> ((ObjectNode) encryption.path("kdf")).put("parallelism", 255),
                "Segment size 2147483647 is outside 4096..8388608 bytes",
                encryption -> encryption.put("segment_size", Integer.MAX_VALUE));
        int copyNumber = 0;
        for (Map.Entry<String, Consumer<ObjectNode>> change : tampering.entrySet()) {
            Path data = copy("data", "data-kdf-" + copyNumber++);
            rewrite(setDirectory(data, "_inc").resolve("manifest.json"),
                    set -> change.getValue().accept((ObjectNode) set.path("encryption")));
            long started = System.nanoTime();
            badRequest().body(Map.of("data_backup_uri", "file://" + data, "restore_tenant_name", "ubx",
                            "decryption", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(400)
                    .body("error.errCode", equalTo("OB.Restore.BackupSet.Unreadable"))
                    .body("error.message", containsString(change.getKey()));
            assertQuick(started);
        }
    }

    @Test
    @Order(4)
    void moreThanEightDecryptionPasswordsAreRefused() {
        List<String> nine = IntStream.rangeClosed(1, 9).mapToObj(n -> "wrong-" + n).toList();
        badRequest().body(Map.of("data_backup_uri", uri("data"), "restore_tenant_name", "ubx", "decryption", nine))
                .post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Decryption.TooMany"))
                .body("error.message", containsString("give 9 distinct passwords; at most 8 are tried"));
        badRequest().body(Map.of("data_backup_uri", uri("data"), "restore_tenant_name", "ubx",
                        "decryption", nine.subList(0, 8), "full_backup_decryption", nine.get(8)))
                .post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Decryption.TooMany"));
        badRequest().body(Map.of("data_backup_uri", uri("data"), "restore_tenant_name", "ubx",
                        "decryption", nine.subList(0, 8))).post(RESTORE).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Restore.Decryption.Failed"))
                .body("error.message", containsString("none of the 8 decryption password(s) opens it"));
    }

    @Test
    @Order(5)
    void aSetWhoseIslPointsOutsideTheDatadirFailsTheRestoreAndWritesNothing() throws Exception {
        Path victim = Path.of("/tmp", config.dataDir().getFileName() + "-victim-isl");
        TestTenant.deleteTree(victim);
        Path data = destinations.resolve("data-isl");
        Path craftedSet = copyOfTheFull(data);
        Path work = destinations.resolve("isl-work");
        Path extracted = Files.createDirectories(work.resolve("extracted"));
        Path stream = StoredSets.decodeData(craftedSet, null, work.resolve("data.xbstream"));
        run(new ProcessBuilder("mbstream", "-x", "-C", extracted.toString()).redirectInput(stream.toFile()));

        ExtractedSetCheck.vet(extracted, config.dataDir().resolve("ubi").resolve("data"));
        Path options = extracted.resolve(ExtractedSetCheck.OPTIONS_FILE);
        String realOptions = Files.readString(options);
        Files.writeString(options, realOptions + "innodb_undo_directory=" + victim + "\n");
        IOException badOptions = assertThrows(IOException.class,
                () -> ExtractedSetCheck.vet(extracted, config.dataDir().resolve("ubi").resolve("data")));
        assertTrue(badOptions.getMessage().contains("backup-my.cnf"), badOptions.getMessage());
        Files.writeString(options, realOptions);

        Files.writeString(extracted.resolve("shop").resolve("evil.isl"), victim.resolve("evil.ibd") + "\n");
        List<String> names;
        try (Stream<Path> files = Files.walk(extracted)) {
            names = files.filter(Files::isRegularFile).map(file -> extracted.relativize(file).toString()).toList();
        }
        List<String> pack = new ArrayList<>(List.of("mbstream", "-c"));
        pack.addAll(names);
        Path repacked = work.resolve("crafted.xbstream");
        run(new ProcessBuilder(pack).directory(extracted.toFile()).redirectOutput(repacked.toFile()));
        replaceDataFile(craftedSet, repacked);

        String dagId = api().body(Map.of("data_backup_uri", "file://" + data, "restore_tenant_name", "ubi"))
                .post(RESTORE).then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        List<String> logs = dag.getList("nodes[1].sub_tasks[0].task_logs");
        assertTrue(logs.stream().anyMatch(line -> line.contains("shop/evil.isl") && line.contains(victim.toString())),
                logs::toString);
        assertFalse(Files.exists(victim));
        assertNoTrace("ubi");
    }

    @Test
    @Order(5)
    void aSetWhoseStreamNamesAFileOutsideItsDirectoryFailsTheRestoreAndWritesNothing() throws Exception {
        Path victim = Path.of("/tmp", config.dataDir().getFileName() + "-victim-stream");
        Files.deleteIfExists(victim);
        Path data = destinations.resolve("data-stream");
        Path craftedSet = copyOfTheFull(data);
        Path work = Files.createDirectories(destinations.resolve("stream-work"));
        Path stream = StoredSets.decodeData(craftedSet, null, work.resolve("data.xbstream"));
        // the real set, then one more file whose name climbs from the staging to the victim
        String climbing = "../".repeat(config.dataDir().resolve(".restore/ubx/set_0").getNameCount()) + victim;
        Files.write(stream, new XbstreamChunks().payload(climbing, 0, "written outside").end(climbing).bytes(),
                StandardOpenOption.APPEND);
        replaceDataFile(craftedSet, stream);

        String dagId = api().body(Map.of("data_backup_uri", "file://" + data, "restore_tenant_name", "ubx"))
                .post(RESTORE).then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        List<String> logs = dag.getList("nodes[1].sub_tasks[0].task_logs");
        assertTrue(logs.stream().anyMatch(line -> line.contains("Refusing the backup stream at byte ")
                && line.contains("climbs out of the backup set")), logs::toString);
        assertFalse(Files.exists(victim));
        assertNoTrace("ubx");
    }

    @Test
    @Order(6)
    void aPieceManifestTamperedDuringTheRestoreFailsTheReplayAndWritesNothingOutside() throws Exception {
        Path climbing = Path.of("/tmp", config.dataDir().getFileName() + "-victim-replay");
        Files.deleteIfExists(climbing);
        Path archive = copy("archive", "archive-late");
        String dagId = api().body(Map.of("data_backup_uri", uri("data"), "archive_log_uri", "file://" + archive,
                        "restore_tenant_name", "ubr", "timestamp", inTheArchive.toString(),
                        "decryption", List.of(INC_PASSWORD))).post(RESTORE).then().statusCode(200)
                .extract().path("data.id");
        rewrite(pieceManifests(archive).get(0), piece -> ((ObjectNode) piece.path("files").get(0))
                .put("name", "../../../../tmp/" + climbing.getFileName()));
        JsonPath dag = awaitDag(dagId);
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        List<String> logs = dag.getList("nodes[2].sub_tasks[0].task_logs");
        assertTrue(logs.stream().anyMatch(line -> line.contains("is not a piece manifest this service writes")),
                logs::toString);
        assertFalse(Files.exists(climbing));
        badRequest().get("/api/v1/tenant/ubr").then().statusCode(400).body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertFalse(Files.exists(config.dataDir().resolve(".restore").resolve("ubr")));
    }

    @Test
    @Order(99)
    void dropTheSource() throws Exception {
        dropTenant(SOURCE);
        TestTenant.deleteTree(destinations);
    }

    /** A copy of the source's full set in {@code data}, for a test to craft. */
    private Path copyOfTheFull(Path data) throws IOException {
        Path set = setDirectory(destinations.resolve("data"), "_full");
        Path copy = data.resolve(set.getFileName().toString());
        Files.createDirectories(data);
        TestTenant.copyTree(set, copy);
        return copy;
    }

    /** A failed restore into {@code tenant} left no tenant, no home and no staging. */
    private void assertNoTrace(String tenant) {
        badRequest().get("/api/v1/tenant/" + tenant).then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertFalse(Files.exists(config.dataDir().resolve(tenant)));
        assertFalse(Files.exists(config.dataDir().resolve(".restore").resolve(tenant)));
    }

    /** Stores {@code stream} as the set's data file (zstd, as the service writes it) and lists it in the manifest. */
    private void replaceDataFile(Path setDir, Path stream) throws IOException {
        StoredArtifact.StoredFile stored;
        try (StoredArtifact artifact = StoredArtifact.create(Storages.open("file://" + setDir), "data.xbstream",
                ArtifactCodec.zstd(1, 0)); InputStream in = Files.newInputStream(stream)) {
            in.transferTo(artifact.stream());
            stored = artifact.commit();
        }
        rewrite(setDir.resolve("manifest.json"), set -> {
            for (JsonNode file : set.path("files")) {
                if (file.path("source").asText().equals("data.xbstream")) {
                    ((ObjectNode) file).put("name", stored.name()).put("size", stored.size())
                            .put("sha256", stored.sha256()).put("source_size", stored.sourceSize());
                }
            }
        });
    }

    /** Waits until the archive holds the transaction {@code seqNo} and at least two files in its first piece. */
    private void awaitArchived(long seqNo) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            long archived = 0;
            int files = 0;
            for (Path manifest : pieceManifests(destinations.resolve("archive"))) {
                for (JsonNode file : json.readTree(manifest.toFile()).path("files")) {
                    archived = Math.max(archived, Gtids.seqNo(file.path("end_gtid_pos").asText()));
                    files++;
                }
            }
            if (archived >= seqNo && files >= 2) {
                return;
            }
            sleep(500);
        }
        throw new AssertionError("The archive did not reach GTID seq_no " + seqNo + " within 90 s");
    }

    private static List<Path> pieceManifests(Path archive) throws IOException {
        if (!Files.isDirectory(archive)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(archive)) {
            return files.filter(file -> file.getFileName().toString().equals("manifest.json")).sorted().toList();
        }
    }

    private static Path setDirectory(Path data, String suffix) throws IOException {
        try (Stream<Path> sets = Files.list(data)) {
            return sets.filter(dir -> dir.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    private void rewrite(Path manifest, Consumer<ObjectNode> change) throws IOException {
        ObjectNode tree = (ObjectNode) json.readTree(manifest.toFile());
        change.accept(tree);
        json.writeValue(manifest.toFile(), tree);
    }

    private Path copy(String from, String to) throws IOException {
        Path target = destinations.resolve(to);
        TestTenant.copyTree(destinations.resolve(from), target);
        return target;
    }

    private String uri(String leaf) {
        return "file://" + destinations.resolve(leaf);
    }

    private static void run(ProcessBuilder process) throws Exception {
        Process started = process.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, started.waitFor(), String.join(" ", process.command()));
    }

    private static void assertQuick(long startedNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        assertTrue(took.compareTo(QUICK) < 0, "the refusal took " + took);
    }
}
