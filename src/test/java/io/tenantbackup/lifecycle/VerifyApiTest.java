package io.tenantbackup.lifecycle;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.restore.Gtids;
import io.tenantbackup.storage.BackupStorage;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.ManagementInterface;
import io.tenantbackup.testing.SqlStatements;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static io.tenantbackup.api.TenantApiClient.unfinishedDagCount;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * verify on a real tenant's file:// destinations: a clean chain (encrypted full, incremental, archive) is all valid;
 * then one fault at a time, each undone after: a flipped byte (set and file named), a wrong password (set named), a
 * missing set directory (MISSING), a deleted archive piece (the GTID gap named). Bad requests create nothing.
 */
@QuarkusTest
class VerifyApiTest {

    private static final String TENANT = "vfy";
    private static final String ROOT_PASSWORD = "vfy-root";
    private static final String PASSWORD = "vfy-set-pass";
    private static final String VERIFY = "/api/v1/tenant/" + TENANT + "/backup/verify";

    @Inject
    ServiceConfig config;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private Path destinations() {
        return config.dataDir().resolveSibling(config.dataDir().getFileName() + "-vfy-dest");
    }

    @Test
    void cleanChainIsValidAndEachFaultIsNamed() throws Exception {
        removeLeftovers(config.dataDir(), TENANT);
        TestTenant.deleteTree(destinations());
        try {
            scenario();
        } finally {
            if (api().get("/api/v1/tenant/" + TENANT).then().extract().statusCode() == 200) {
                dropTenant(TENANT);
            }
        }
    }

    private void scenario() throws Exception {
        createTenant(TENANT, ROOT_PASSWORD);
        sql("CREATE DATABASE shop", "USE shop", "CREATE TABLE items (id INT PRIMARY KEY, note VARCHAR(64))",
                "INSERT INTO items SELECT seq, CONCAT('row-', seq) FROM seq_1_to_500");
        Path data = destinations().resolve("data");
        Path archive = destinations().resolve("archive");
        JsonPath configured = awaitDag(api().body(Map.of("data_base_uri", "file://" + data, "archive_base_uri",
                "file://" + archive, "archive_lag_target", "1s")).post("/api/v1/tenant/" + TENANT + "/backup/config")
                .then().statusCode(200).extract().path("data.id"));
        assertEquals("SUCCEED", configured.getString("state"), configured::prettify);

        int unfinished = unfinishedDagCount();
        badRequest().get(VERIFY).then().statusCode(404).body("error.errCode", equalTo("Common.NotFound"));
        badRequest().body("{\"backup_set_id\":987654}").post(VERIFY).then().statusCode(404)
                .body("error.errCode", equalTo("Common.NotFound"));
        badRequest().body("{}").post("/api/v1/tenant/nosuch/backup/verify").then().statusCode(400)
                .body("error.errCode", equalTo("OB.Tenant.NotExist"));
        assertEquals(unfinished, unfinishedDagCount());

        String full = backup("{\"mode\":\"full\",\"encryption\":\"" + PASSWORD + "\"}", "_full");
        sql("USE shop", "UPDATE items SET note = 'changed' WHERE id < 100");
        String inc = backup("{\"mode\":\"incremental\"}", "_inc");
        sql("USE shop", "INSERT INTO items SELECT seq, 'late' FROM seq_501_to_600");
        awaitArchivedUpToTheTenant(archive);

        JsonPath clean = verify("{\"decryption\":[\"" + PASSWORD + "\"]}");
        assertEquals(List.of("VALID", "VALID", "VALID"), clean.getList("results.status"), clean::prettify);
        assertEquals(List.of(full, inc, "archive"), clean.getList("results.subject"));
        assertEquals(0, clean.getInt("invalid_sets"));
        assertTrue(clean.getString("results[0].reason").contains("decrypt"), clean::prettify);
        awaitMetric("tenant_backup_invalid_sets{tenant=\"" + TENANT + "\"} 0.0");
        awaitMetric("tenant_backup_last_verify_timestamp_seconds{tenant=\"" + TENANT + "\"}");

        Path incData = data.resolve(inc).resolve("data.xbstream.zst");
        flipByte(incData);
        JsonPath flipped = verify("{\"decryption\":[\"" + PASSWORD + "\"]}");
        flipByte(incData);
        assertEquals(List.of("VALID", "INVALID", "VALID"), flipped.getList("results.status"), flipped::prettify);
        String reason = flipped.getString("results[1].reason");
        assertTrue(reason.contains(inc) && reason.contains("data.xbstream.zst"), reason);
        assertEquals(1, flipped.getInt("invalid_sets"));
        JsonPath overview = api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200)
                .extract().jsonPath().setRootPath("data.last_verification");
        assertEquals(1, overview.getInt("invalid_sets"), "the overview shows the last verification");
        assertEquals(flipped.getString("last_verified_at"), overview.getString("verified_at"));
        List<String> overviewRead = SqlStatements.fewestOf(10, () -> api()
                .get("/api/v1/tenant/" + TENANT + "/backup/overview").then().statusCode(200));
        assertEquals(1, overviewRead.size(), () -> "the tenant, its set and the verification summary in one statement,"
                + " in autocommit mode: " + overviewRead);
        List<String> infoRead = SqlStatements.fewestOf(10, () -> api()
                .get("/api/v1/tenant/" + TENANT + "/backup/info").then().statusCode(200));
        assertEquals(2, infoRead.size(), () -> "the route's tenant check, then the last completed set with the archive"
                + " checkpoint: " + infoRead);
        awaitMetric("tenant_backup_invalid_sets{tenant=\"" + TENANT + "\"} 1.0");

        long fullId = Long.parseLong(full.replaceAll("\\D", ""));
        JsonPath wrong = verify("{\"backup_set_id\":" + fullId + ",\"decryption\":[\"not-it\"]}");
        assertEquals("INVALID", wrong.getString("results[0].status"), "a one-set run replaces that set's result only: "
                + wrong.prettify());
        assertTrue(wrong.getString("results[0].reason").contains("Wrong password for backup set " + fullId),
                wrong::prettify);
        assertTrue(!wrong.prettify().contains("not-it"), "no password in the results");
        assertEquals(List.of(), windows(data, archive).getList("restore_windows"),
                "no window rests on the invalid full (nor on the incremental built on it)");

        Path moved = destinations().resolve("moved");
        Files.move(data.resolve(inc), moved);
        JsonPath missing = verify("{\"decryption\":[\"" + PASSWORD + "\"]}");
        Files.move(moved, data.resolve(inc));
        assertEquals(List.of("VALID", "MISSING", "VALID"), missing.getList("results.status"), missing::prettify);
        assertTrue(missing.getString("results[1].reason").contains(inc), missing::prettify);

        api().body("{\"status\":\"STOP\"}").patch("/api/v1/tenant/" + TENANT + "/backup/log").then().statusCode(200);
        awaitArchiveStopped();
        Path piece = archive.resolve("round_1").resolve("piece_1");
        Files.move(piece, moved);
        JsonPath gap = verify("{\"decryption\":[\"" + PASSWORD + "\"]}");
        Files.move(moved, piece);
        assertEquals(List.of("VALID", "VALID", "INVALID"), gap.getList("results.status"), gap::prettify);
        assertTrue(gap.getString("results[2].reason").contains("GTID gap: seq_no "), gap::prettify);
        assertTrue(gap.getString("results[2].reason").contains(full), gap::prettify);

        JsonPath again = verify("{\"decryption\":[\"" + PASSWORD + "\"]}");
        assertEquals(List.of("VALID", "VALID", "VALID"), again.getList("results.status"), again::prettify);
        assertEquals(1, windows(data, archive).getList("restore_windows").size(), "valid again, windows are offered");
    }

    private static JsonPath windows(Path data, Path archive) {
        return api().body(Map.of("data_backup_uri", "file://" + data, "archive_log_uri", "file://" + archive))
                .get("/api/v1/restore/windows").then().statusCode(200).extract().jsonPath().setRootPath("data");
    }

    /** Runs a verification and returns GET …/backup/verify (data). */
    private JsonPath verify(String body) {
        JsonPath dag = awaitDag(api().body(body).post(VERIFY).then().statusCode(200)
                .body("data.name", equalTo("Verify backups for " + TENANT)).extract().path("data.id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return api().get(VERIFY).then().statusCode(200).extract().jsonPath().setRootPath("data");
    }

    private String backup(String body, String suffix) {
        JsonPath dag = awaitDag(api().body(body).post("/api/v1/tenant/" + TENANT + "/backup").then().statusCode(200)
                .extract().path("data.id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        return "backup_set_" + api().get("/api/v1/tenant/" + TENANT + "/backup/overview").then().extract().jsonPath()
                .getLong("data.status.backup_set_id") + suffix;
    }

    private void awaitArchivedUpToTheTenant(Path archive) throws Exception {
        sql("FLUSH BINARY LOGS");
        long wanted;
        try (Connection connection = connectAsRoot(port(), ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
            row.next();
            wanted = Gtids.seqNo(row.getString(1));
        }
        BackupStorage storage = Storages.open("file://" + archive);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (storage.size("round_1/piece_1/manifest.json").isPresent() && PieceManifest.read(storage, 1, 1).files()
                    .stream().anyMatch(file -> Gtids.seqNo(file.endGtidPos()) >= wanted)) {
                return;
            }
            sleep(300);
        }
        throw new AssertionError("The archive did not reach GTID seq_no " + wanted);
    }

    /** The archiver no longer writes the piece once the round is STOP. */
    private void awaitArchiveStopped() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"STOP".equals(api().get("/api/v1/tenant/" + TENANT + "/backup/log/tasks").then().statusCode(200)
                .extract().path("data.contents[0].status"))) {
            assertTrue(System.nanoTime() < deadline, "the archive log did not stop");
            sleep(200);
        }
    }

    private void awaitMetric(String line) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = ManagementInterface.metrics(management);
            if (metrics.contains(line)) {
                return;
            }
            sleep(300);
        }
        throw new AssertionError("no '" + line + "' in the metrics:\n" + metrics);
    }

    /** Flips one bit in the middle of {@code file}, keeping its size. */
    static void flipByte(Path file) throws Exception {
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
            bytes.seek(bytes.length() / 2);
            int value = bytes.read();
            bytes.seek(bytes.length() / 2);
            bytes.write(value ^ 0x01);
        }
    }

    private int port() {
        return api().get("/api/v1/tenant/" + TENANT).then().statusCode(200).extract().path("data.connection.port");
    }

    private void sql(String... statements) throws Exception {
        try (Connection connection = connectAsRoot(port(), ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }
}
