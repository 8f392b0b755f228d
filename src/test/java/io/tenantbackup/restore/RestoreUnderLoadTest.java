package io.tenantbackup.restore;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TenantSnapshot;
import io.tenantbackup.testing.TestTenant;
import io.tenantbackup.testing.WriteLoad;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tenantbackup.api.BackupApiClient.backup;
import static io.tenantbackup.api.BackupApiClient.configureBackup;
import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.port;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 1: a full and an incremental backup taken while transfer, journal (Aria, MyISAM) and DDL writers
 * run and the archive streams. Restores to the chain end and to a timestamp inside the load keep every invariant of
 * {@link WriteLoad}; a timestamp restore to a quiet second (writers held) equals the source at that second exactly;
 * a restore to the newest point (no timestamp, through the archive) asked for while the writers and the archive run
 * keeps every invariant and holds what the archive had.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreUnderLoadTest {

    private static final String SOURCE = "ld1";
    private static final String ROOT_PASSWORD = "ld1-root";
    private static final String RESTORE = "/api/v1/tenant/restore";
    private static final int TRANSFER_WRITERS = 3;

    @Inject
    ServiceConfig config;

    private Path destinations;
    private int port;
    private final List<String> restoredTenants = new ArrayList<>();
    /** Committed transfers just before the incremental started and just after it ended. */
    private long beforeIncremental;
    private long afterIncremental;
    /** A second between the full and the incremental, with the transfers committed before it and after it. */
    private Instant insideLoad;
    private long beforeInsideLoad;
    private long afterInsideLoad;
    private Instant quietSecond;
    private TenantSnapshot atQuietSecond;

    /** Once, before the first test: RestAssured knows the test port only from then on. */
    @BeforeEach
    void sourceUnderLoad() throws Exception {
        if (port != 0) {
            return;
        }
        for (String name : List.of(SOURCE, "ld1e", "ld1t", "ld1q", "ld1n")) {
            removeLeftovers(config.dataDir(), name);
        }
        destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-ld-dest");
        TestTenant.deleteTree(destinations);
        port = createTenant(SOURCE, ROOT_PASSWORD).getInt("connection.port");
        try (Connection connection = source()) {
            WriteLoad.createSchema(connection);
        }
        configureBackup(SOURCE, destinations, "2s");

        try (WriteLoad load = WriteLoad.start(this::source, TRANSFER_WRITERS)) {
            sleep(2000);
            backup(SOURCE, "{\"mode\":\"full\"}");
            api().get("/api/v1/tenant/" + SOURCE + "/backup/log/tasks").then().statusCode(200)
                    .body("data.contents[0].status", equalTo("DOING"));
            sleep(1000);
            beforeInsideLoad = transfers();
            insideLoad = Instant.now();
            sleep(1100);
            afterInsideLoad = transfers();
            beforeIncremental = transfers();
            backup(SOURCE, "{\"mode\":\"incremental\"}");
            afterIncremental = transfers();
            sleep(1000);
            load.pause();
            try {
                sleep(1200);
                try (Connection connection = source()) {
                    atQuietSecond = TenantSnapshot.of(connection);
                }
                quietSecond = Instant.now();
                sleep(1200);
            } finally {
                load.resume();
            }
            sleep(2000);
            load.assertEveryWriterRan(20);
        }
        try (Connection connection = source()) {
            WriteLoad.assertInvariants(connection, "the source");
            ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
        }
    }

    @Test
    @Order(1)
    void theChainEndKeepsEveryInvariantAndLiesWithinTheIncremental() throws Exception {
        long restored = restoreAndCheck("ld1e", Map.of());
        assertTrue(restored >= beforeIncremental && restored <= afterIncremental,
                "the chain end is the incremental's point: " + restored + " transfers, the incremental ran from "
                        + beforeIncremental + " to " + afterIncremental);
        Path incremental;
        try (Stream<Path> sets = Files.list(destinations.resolve("data"))) {
            incremental = sets.filter(set -> set.getFileName().toString().endsWith("_inc")).findFirst().orElseThrow();
        }
        try (Connection connection = connectAsRoot(port("ld1e"), ROOT_PASSWORD);
             Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            assertEquals(StoredSets.manifest(incremental).gtid(), row.getString(1),
                    "the restored binlog position is the incremental's consistent point");
        }
    }

    @Test
    @Order(2)
    void aTimestampInsideTheLoadKeepsEveryInvariant() throws Exception {
        long restored = restoreAndCheck("ld1t", Map.of("timestamp", insideLoad.toString()));
        assertTrue(afterInsideLoad > beforeInsideLoad, "writers committed around the timestamp");
        assertTrue(restored >= beforeInsideLoad && restored <= afterInsideLoad,
                "the restore stops at " + insideLoad + ": " + restored + " transfers, the source had "
                        + beforeInsideLoad + " before it and " + afterInsideLoad + " a second after");
    }

    @Test
    @Order(3)
    void aQuietSecondIsTheSourcesExactState() throws Exception {
        restoreAndCheck("ld1q", Map.of("timestamp", quietSecond.toString()));
        try (Connection connection = connectAsRoot(port("ld1q"), ROOT_PASSWORD)) {
            TenantSnapshot.assertSame(atQuietSecond, TenantSnapshot.of(connection), "restored to " + quietSecond);
        }
    }

    @Test
    @Order(4)
    void theNewestPointAskedForWhileWritesAndTheArchiveRunKeepsEveryInvariant() throws Exception {
        long archivedBefore;
        long atTheRequest;
        String dagId;
        try (WriteLoad load = WriteLoad.start(this::source, TRANSFER_WRITERS)) {
            sleep(1000);
            archivedBefore = transfers();
            try (Connection connection = source()) {
                ArchiveWait.untilArchived(connection, destinations.resolve("archive"));
            }
            dagId = api().body(Map.of("data_backup_uri", "file://" + destinations.resolve("data"),
                            "archive_log_uri", "file://" + destinations.resolve("archive"),
                            "restore_tenant_name", "ld1n")).post(RESTORE).then().statusCode(200)
                    .extract().path("data.id");
            atTheRequest = transfers();
            JsonPath dag = awaitDag(dagId);
            assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
            load.assertEveryWriterRan(5);
        }
        restoredTenants.add("ld1n");
        long restored;
        try (Connection connection = connectAsRoot(port("ld1n"), ROOT_PASSWORD)) {
            restored = WriteLoad.assertInvariants(connection, "ld1n");
        }
        assertTrue(restored >= archivedBefore && restored <= atTheRequest, "the newest point holds what was"
                + " archived before the request (" + archivedBefore + " transfers) and nothing committed after it ("
                + atTheRequest + "); it holds " + restored);
        api().get("/api/v1/tenant/ld1n/restore/overview").then().statusCode(200)
                .body("data.description", org.hamcrest.Matchers.containsString("plus the archived binlog"));
    }

    /** The invariants above can fail: each break of one, on the chain-end copy, is caught, and repaired again. */
    @Test
    @Order(5)
    void theInvariantsCatchEachKindOfBrokenCopy() throws Exception {
        Map<String, String> breaks = new LinkedHashMap<>();
        breaks.put("UPDATE bank.accounts SET balance = balance + 1 WHERE id = 1",
                "UPDATE bank.accounts SET balance = balance - 1 WHERE id = 1");
        breaks.put("UPDATE bank.accounts SET balance = balance + 5 - 10 * (id = 2) WHERE id IN (1, 2)",
                "UPDATE bank.accounts SET balance = balance - 5 + 10 * (id = 2) WHERE id IN (1, 2)");
        breaks.put("UPDATE bank.counter SET n = n + 1", "UPDATE bank.counter SET n = n - 1");
        breaks.put("DELETE FROM bank.aria_journal WHERE id = 1", "INSERT INTO bank.aria_journal VALUES (1, 'aria 1')");
        breaks.put("INSERT INTO bank.aria_journal SELECT newest + seq, 'ahead'"
                        + " FROM (SELECT MAX(id) AS newest FROM bank.aria_journal) journal, bank.seq_1_to_2",
                "DELETE FROM bank.aria_journal WHERE note = 'ahead'");
        breaks.put("CREATE TABLE ddl.t1000000 (id INT)", "DROP TABLE ddl.t1000000");
        try (Connection connection = connectAsRoot(port("ld1e"), ROOT_PASSWORD);
             Statement sql = connection.createStatement()) {
            for (Map.Entry<String, String> broken : breaks.entrySet()) {
                sql.execute(broken.getKey());
                assertThrows(AssertionError.class, () -> WriteLoad.assertInvariants(connection, "broken"),
                        broken.getKey());
                sql.execute(broken.getValue());
            }
            WriteLoad.assertInvariants(connection, "repaired");
        }
    }

    @Test
    @Order(99)
    void dropTheTenants() throws Exception {
        for (String name : restoredTenants) {
            dropTenant(name);
        }
        dropTenant(SOURCE);
        TestTenant.deleteTree(destinations);
    }

    /** Restores into {@code tenant} with {@code point} and asserts the invariants; returns its committed transfers. */
    private long restoreAndCheck(String tenant, Map<String, Object> point) throws Exception {
        Map<String, Object> body = new HashMap<>(point);
        body.put("data_backup_uri", "file://" + destinations.resolve("data"));
        body.put("restore_tenant_name", tenant);
        if (!point.isEmpty()) {
            body.put("archive_log_uri", "file://" + destinations.resolve("archive"));
        }
        String dagId = api().body(body).post(RESTORE).then().statusCode(200).extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        restoredTenants.add(tenant);
        try (Connection connection = connectAsRoot(port(tenant), ROOT_PASSWORD)) {
            return WriteLoad.assertInvariants(connection, tenant);
        }
    }



    private long transfers() throws SQLException {
        try (Connection connection = source()) {
            return WriteLoad.committedTransfers(connection);
        }
    }

    private Connection source() throws SQLException {
        return connectAsRoot(port, ROOT_PASSWORD);
    }
}
