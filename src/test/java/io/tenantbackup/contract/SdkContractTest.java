package io.tenantbackup.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.auth.AuthProfile;
import io.tenantbackup.auth.SdkClient;
import io.tenantbackup.restore.ArchiveWait;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python and Go SDKs' contracts with this service, as the SDKs themselves define them
 * (src/test/resources/sdk-contracts/&lt;sdk&gt;@&lt;commit&gt;.json, read from their sources): each SDK's requests sent
 * byte for byte as the SDK sends them (auth v2 header, AES-encrypted body, its JSON encoder, its Content-Type) to a
 * service with a password, and every answer checked for the members the SDK's models read, with the SDK's types.
 * The flow is what a user of either SDK does: create a tenant, configure its destinations, open the archive, take an
 * encrypted backup, follow the DAG, restore to a timestamp with the password, read the overviews, drop the tenants.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
class SdkContractTest {

    private static final String ROOT_PASSWORD = "sk-tenant-R00t#1";
    /** Non-ASCII on purpose: Python's json.dumps escapes it, Go's encoding/json sends it as UTF-8. */
    private static final String ENCRYPTION = "sk-backup-Pässwort-3";
    private static final Duration DAG_DEADLINE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    ServiceConfig config;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/sdk-contracts/obshell-sdk-python@88ae912.json", "/sdk-contracts/obshell-sdk-go@3bf700d.json"})
    void encryptedBackupAndTimestampRestoreAsTheSdkSendsThem(String resource) throws Exception {
        SdkExpectations sdk = SdkExpectations.load(resource);
        String tenant = sdk.style() == SdkClient.Style.PYTHON ? "skp" : "skg";
        String restored = tenant + "r";
        Path destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-" + tenant);
        removeLeftovers(config.dataDir(), tenant);
        removeLeftovers(config.dataDir(), restored);
        TestTenant.deleteTree(destinations);
        Session session = new Session(sdk);
        Map<String, Object> values = new HashMap<>(Map.of("tenant", tenant, "restored", restored,
                "root_password", ROOT_PASSWORD, "encryption", ENCRYPTION,
                "data_uri", "file://" + destinations.resolve("data"),
                "archive_uri", "file://" + destinations.resolve("archive")));
        try {
            session.send("info", values);
            session.send("secret", values);
            session.awaitDag(session.send("create_tenant", values));
            int port = session.send("get_tenant_info", values).at("/data/connection/port").asInt();
            insertOrders(port, 1, 1000);
            session.awaitDag(session.send("backup_config", values));
            session.send("archive_log_doing", values);
            String backupDag = session.awaitDag(session.send("start_backup", values));
            JsonNode backup = session.send("backup_overview", values).at("/data/status");
            assertEquals("COMPLETED", backup.get("status").asText(), backup::toString);
            assertEquals("PASSWORD", backup.get("encryption_mode").asText(), backup::toString);

            insertOrders(port, 1001, 1100);
            sleep(1100);
            Instant target = Instant.now();
            sleep(1100);
            insertOrders(port, 1101, 1200);
            try (Connection source = connectAsRoot(port, ROOT_PASSWORD)) {
                ArchiveWait.untilArchived(source, destinations.resolve("archive"));
            }
            if (sdk.has("restore_windows")) {
                assertTrue(covers(session.send("restore_windows", values).at("/data/restore_windows"), target),
                        "no restore window holds " + target);
            }
            values.put("timestamp", timestamp(sdk.style(), target));
            session.awaitDag(session.send("restore", values));
            JsonNode overview = session.send("restore_overview", values).get("data");
            assertEquals("SUCCESS", overview.get("status").asText(), overview::toString);
            int restoredPort = session.send("get_tenant_info", Map.of("tenant", restored))
                    .at("/data/connection/port").asInt();
            assertEquals(1100, countOrders(restoredPort), "the restore did not stop at " + target);

            session.send("cancel_finished_dag", Map.of("dag_id", backupDag));
            session.awaitDag(session.send("drop_tenant", Map.of("tenant", restored)));
            session.awaitDag(session.send("drop_tenant", values));
            assertEquals(sdk.calls(), session.made(), "every call " + sdk.source() + " makes was sent and checked");
        } finally {
            session.dropIfPresent(restored);
            session.dropIfPresent(tenant);
            TestTenant.deleteTree(destinations);
        }
    }

    /** One SDK's calls against the service, each answer checked against the SDK's expectations. */
    private final class Session {

        private final SdkExpectations sdk;
        private final String base;
        private final SdkClient client;
        private final Set<String> made = new LinkedHashSet<>();

        Session(SdkExpectations sdk) {
            this.sdk = sdk;
            String url = root.toString();
            this.base = url.substring(0, url.length() - 1);
            this.client = SdkClient.of(sdk.style(), base, AuthProfile.PASSWORD);
        }

        /** Sends {@code call} as the SDK does and fails with every mismatch; returns the answer's JSON. */
        JsonNode send(String call, Map<String, ?> values) throws Exception {
            SdkExpectations.Request request = sdk.request(call, values);
            SdkClient.Answer answer = request.authenticated()
                    ? client.send(request.method(), request.target(), request.body())
                    : SdkClient.unauthenticatedGet(base, request.target());
            List<String> mismatches = sdk.mismatches(call, answer);
            assertTrue(mismatches.isEmpty(), () -> sdk.source() + " " + call + " (" + request.method() + " "
                    + request.target() + "):\n  " + String.join("\n  ", mismatches));
            made.add(call);
            return JSON.readTree(answer.text());
        }

        /** Follows the DAG of {@code answer} with the SDK's get_dag until it ends; it must SUCCEED. Returns its id. */
        String awaitDag(JsonNode answer) throws Exception {
            String id = answer.at("/data/id").asText();
            long deadline = System.nanoTime() + DAG_DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode dag = send("get_dag", Map.of("dag_id", id)).get("data");
                String state = dag.get("state").asText();
                if (state.equals("SUCCEED") || state.equals("FAILED")) {
                    assertEquals("SUCCEED", state, dag::toPrettyString);
                    return id;
                }
                sleep(200);
            }
            throw new AssertionError("DAG " + id + " did not finish within " + DAG_DEADLINE);
        }

        Set<String> made() {
            return made;
        }

        /** Cleanup after a failure, outside the contract: drops the tenant once no other DAG holds it. */
        void dropIfPresent(String tenant) {
            long deadline = System.nanoTime() + DAG_DEADLINE.toNanos();
            while (System.nanoTime() < deadline
                    && client.send("GET", "/api/v1/tenant/" + tenant, null).status() == 200) {
                SdkClient.Answer drop = client.send("DELETE", "/api/v1/tenant/" + tenant, null);
                String id = drop.status() == 200 ? drop.json().getString("data.id") : null;
                while (id != null && System.nanoTime() < deadline && !finished(id)) {
                    sleep(200);
                }
                sleep(200);
            }
        }

        private boolean finished(String dagId) {
            String state = client.send("GET", "/api/v1/task/dag/" + dagId, null).json().getString("data.state");
            return "SUCCEED".equals(state) || "FAILED".equals(state);
        }
    }

    /**
     * The restore point as each SDK writes it: Python passes the string its user gives, here
     * datetime.now(timezone.utc).isoformat(); Go marshals a time.Time (RFC3339Nano, trailing zeros dropped).
     */
    private static String timestamp(SdkClient.Style style, Instant time) {
        OffsetDateTime utc = time.atOffset(ZoneOffset.UTC);
        if (style == SdkClient.Style.PYTHON) {
            return utc.truncatedTo(ChronoUnit.MICROS)
                    .format(DateTimeFormatter.ofPattern(utc.getNano() / 1000 == 0 ? "uuuu-MM-dd'T'HH:mm:ssxxx"
                            : "uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx"));
        }
        String nanos = String.format("%09d", utc.getNano()).replaceAll("0+$", "");
        return utc.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")) + (nanos.isEmpty() ? "" : "." + nanos) + "Z";
    }

    private static boolean covers(JsonNode windows, Instant time) {
        for (JsonNode window : windows) {
            if (!OffsetDateTime.parse(window.get("start_time").asText()).toInstant().isAfter(time)
                    && !OffsetDateTime.parse(window.get("end_time").asText()).toInstant().isBefore(time)) {
                return true;
            }
        }
        return false;
    }

    private static void insertOrders(int port, int from, int to) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE IF NOT EXISTS shop");
            sql.execute("USE shop");
            sql.execute("CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, item VARCHAR(64)) ENGINE=InnoDB");
            sql.execute("INSERT INTO orders SELECT seq, CONCAT('item-', seq) FROM seq_" + from + "_to_" + to);
        }
    }

    private static long countOrders(int port) throws Exception {
        try (Connection connection = connectAsRoot(port, ROOT_PASSWORD); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT COUNT(*) FROM shop.orders")) {
            row.next();
            return row.getLong(1);
        }
    }
}
