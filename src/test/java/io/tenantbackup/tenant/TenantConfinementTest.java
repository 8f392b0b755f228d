package io.tenantbackup.tenant;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.archive.ArchivedBinlogs;
import io.tenantbackup.repository.archive.PieceManifest;
import io.tenantbackup.engine.mariadb.InstanceUser;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.task.TaskQueries;
import io.tenantbackup.testing.StoredSets;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.awaitDag;
import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static io.tenantbackup.api.TenantApiClient.sleep;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of a tenant's SQL root on the host, on the service and on other tenants, on real instances: each is
 * refused or harmless. Also: no tenant is ever without a root password, and no password reaches a binlog, an archive
 * or a backup set.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantConfinementTest {

    /** Created without root_password: the service generates one. */
    private static final String GENERATED = "sec_gen";
    private static final String OTHER = "sec_other";
    private static final String OTHER_PASSWORD = "sec-other-Root-7f3a";

    @Inject
    ServiceConfig config;
    @Inject
    TenantService tenants;

    private static final String RESTORED = "sec_restored";

    private String generatedPassword;
    private boolean backedUp;
    private int port;
    private int otherPort;

    @Inject
    TaskQueries queries;

    @BeforeEach
    void twoTenants() throws Exception {
        if (port != 0) {
            return;
        }
        removeLeftovers(config.dataDir(), GENERATED);
        removeLeftovers(config.dataDir(), OTHER);
        JsonPath submitted = api().body(Map.of("name", GENERATED, "charset", "utf8mb4")).post("/api/v1/tenant")
                .then().statusCode(200).extract().jsonPath().setRootPath("data");
        generatedPassword = submitted.getString("additional_data.root_password");
        JsonPath dag = awaitDag(submitted.getString("id"));
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        assertFalse(dag.prettify().contains(generatedPassword), "the DAG, its nodes and logs never show the password");
        port = api().get("/api/v1/tenant/" + GENERATED).then().statusCode(200).extract().path("data.connection.port");
        otherPort = createTenant(OTHER, OTHER_PASSWORD).getInt("connection.port");
    }

    /** Through the service (the HTTP port is gone by now), so that the supervisor does not restart them. */
    @AfterAll
    void dropTenants() throws Exception {
        for (String tenant : List.of(GENERATED, OTHER, RESTORED)) {
            if (tenants.list().stream().noneMatch(found -> found.name().equals(tenant))) {
                continue;
            }
            FinishedDags.assertSucceeded(FinishedDags.await(queries, tenants.delete(tenant)));
        }
    }

    @Test
    void aTenantCreatedWithoutRootPasswordGetsOneOnceAndNoAccountIsPasswordless() throws Exception {
        assertTrue(generatedPassword != null && generatedPassword.length() >= 32, generatedPassword);
        assertThrows(SQLException.class, () -> connectAsRoot(port, "").close());
        try (Connection root = connectAsRoot(port, generatedPassword); Statement sql = root.createStatement();
             ResultSet rows = sql.executeQuery("SELECT CONCAT(User, '@', Host) FROM mysql.global_priv"
                     + " WHERE IFNULL(JSON_VALUE(Priv, '$.authentication_string'), '') = ''"
                     + " AND IFNULL(JSON_EXTRACT(Priv, '$.account_locked'), 'false') <> 'true'")) {
            List<String> passwordless = new ArrayList<>();
            while (rows.next()) {
                passwordless.add(rows.getString(1));
            }
            assertEquals(List.of(), passwordless);
        }
    }

    @Test
    void mariadbdRunsAsItsOwnUnprivilegedUserOverPrivateDirectories() throws Exception {
        long uid = processUid(GENERATED);
        long otherUid = processUid(OTHER);
        assertNotEquals(0, uid, "mariadbd must not run as root");
        if (InstanceUser.perInstanceUsers()) {
            assertNotEquals(uid, otherUid, "each tenant has its own OS user");
            InstanceUser user = tenants.requireNormal(GENERATED).server().user();
            MariaDbLayout other = tenants.requireNormal(OTHER).layout();
            assertTrue(ExternalCommand.of(user.runAs(List.of("ls", tenants.requireNormal(GENERATED).layout()
                    .dataDir().toString()))).run().succeeded(), "the tenant's OS user reads its own datadir");
            for (List<String> attempt : List.of(List.of("ls", config.dataDir().toString()),
                    List.of("cat", config.dataDir().resolve(".agent").resolve("agent-key.pem").toString()),
                    List.of("cat", other.agentOptionFile().toString()), List.of("ls", other.dataDir().toString()),
                    List.of("cat", "/etc/shadow"))) {
                assertFalse(ExternalCommand.of(user.runAs(attempt)).run().succeeded(),
                        "the tenant's OS user could run " + attempt);
            }
        }
        MariaDbLayout layout = tenants.requireNormal(GENERATED).layout();
        for (Path directory : List.of(layout.dataDir(), layout.binlogDir(), layout.secureFileDir(), layout.tmpDir())) {
            assertEquals(uid, ((Number) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue(),
                    directory::toString);
            assertEquals(0700, mode(directory), directory::toString);
        }
        assertEquals(0600, mode(layout.agentOptionFile()));
        assertNotEquals(uid, ((Number) Files.getAttribute(layout.agentOptionFile(), "unix:uid")).longValue(),
                "the agent option file stays the service's");
        try (Connection root = connectAsRoot(port, generatedPassword); Statement sql = root.createStatement()) {
            assertEquals(layout.secureFileDir() + "/", TenantLifecycleTest.single(sql, "SELECT @@secure_file_priv"));
            assertEquals("DISABLED", TenantLifecycleTest.single(sql, "SELECT @@have_symlink"));
            assertEquals(layout.tmpDir().toString(), TenantLifecycleTest.single(sql, "SELECT @@tmpdir"));
        }
    }

    @Test
    void aTenantReadsNeitherTheAgentKeyNorAnotherTenantsOptionFileNorTheHost() throws Exception {
        Path agentKey = config.dataDir().resolve(".agent").resolve("agent-key.pem");
        Path otherOptionFile = tenants.requireNormal(OTHER).layout().agentOptionFile();
        assertTrue(Files.exists(agentKey) && Files.exists(otherOptionFile), "the targets exist");
        try (Connection root = connectAsRoot(port, generatedPassword); Statement sql = root.createStatement()) {
            sql.execute("CREATE DATABASE loot");
            sql.execute("CREATE TABLE loot.lines (line TEXT)");
            for (Path target : List.of(agentKey, otherOptionFile, Path.of("/etc/shadow"))) {
                assertNull(TenantLifecycleTest.single(sql, "SELECT LOAD_FILE('" + target + "')"), target::toString);
                SQLException refused = assertThrows(SQLException.class, () -> sql.execute(
                        "LOAD DATA INFILE '" + target + "' INTO TABLE loot.lines"), target::toString);
                assertTrue(refused.getMessage().contains("secure-file-priv"), refused.getMessage());
            }
            assertEquals("0", TenantLifecycleTest.single(sql, "SELECT COUNT(*) FROM loot.lines"));
        }
    }

    @Test
    void aTenantWritesFilesOnlyInItsSecureFileDirectory() throws Exception {
        Path outside = Path.of("/tmp", "tbt-confinement-" + ProcessHandle.current().pid());
        Path otherData = tenants.requireNormal(OTHER).layout().dataDir().resolve("planted.log");
        Path inside = tenants.requireNormal(GENERATED).layout().secureFileDir().resolve("export.txt");
        try (Connection root = connectAsRoot(port, generatedPassword); Statement sql = root.createStatement()) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> sql.execute("SELECT 'owned' INTO OUTFILE '" + outside + "'"));
            assertTrue(refused.getMessage().contains("secure-file-priv"), refused.getMessage());
            assertFalse(Files.exists(outside));

            sql.execute("SELECT 'mine' INTO OUTFILE '" + inside + "'");
            assertEquals("mine\n", Files.readString(inside));
            assertEquals(processUid(GENERATED), ((Number) Files.getAttribute(inside, "unix:uid")).longValue());

            // the tenant's own SQL root may move its general log, but its OS user cannot write where it is not its own
            for (Path target : List.of(Path.of("/etc/tbt-confinement.log"), otherData)) {
                try {
                    sql.execute("SET GLOBAL general_log_file = '" + target + "'");
                    sql.execute("SET GLOBAL general_log = ON");
                    sql.execute("SELECT 'written'");
                } catch (SQLException expected) {
                    // refused by the server: the file cannot be opened
                } finally {
                    sql.execute("SET GLOBAL general_log = OFF");
                }
                assertFalse(Files.exists(target), target + " was written");
            }
        } finally {
            Files.deleteIfExists(outside);
        }
        badRequest().body(Map.of("name", "sec_bad", "variables", Map.of("general_log_file", "/tmp/x")))
                .post("/api/v1/tenant").then().statusCode(400)
                .body("error.errCode", equalTo("Common.IllegalArgument"))
                .body("error.message", containsString("variable 'general_log_file' is not one a tenant may set"));
        assertTrue(tenants.list().stream().noneMatch(tenant -> tenant.name().equals("sec_bad")));
    }

    @Test
    void noPasswordReachesTheBinlogTheArchiveOrABackupSet() throws Exception {
        Path archive = backedUp().resolve("archive");
        try (Connection root = connectAsRoot(otherPort, OTHER_PASSWORD); Statement sql = root.createStatement()) {
            sql.execute("FLUSH BINARY LOGS");
        }
        MariaDbLayout other = tenants.requireNormal(OTHER).layout();
        List<String> secrets = List.of(OTHER_PASSWORD, generatedPassword, agentPassword(other),
                agentPassword(tenants.requireNormal(GENERATED).layout()));

        for (String tenant : List.of(GENERATED, OTHER)) {
            assertNoSecret(decodedBinlog(binlogFiles(tenants.requireNormal(tenant).layout().binlogDir())), secrets,
                    "binlog of " + tenant);
        }
        Path extracted = Files.createTempDirectory(Path.of("/tmp"), "tb-sec");
        try {
            List<Path> archived = awaitArchivedFirstFile(archive, extracted);
            for (Path file : archived) {
                assertNoSecret(Files.readString(file, StandardCharsets.ISO_8859_1), secrets, "archived " + file);
            }
            assertNoSecret(decodedBinlog(archived), secrets, "archived binlog");
            String setPath = api().get("/api/v1/tenant/" + OTHER + "/backup/overview").then().statusCode(200)
                    .extract().path("data.status.path");
            Path stream = StoredSets.decodeData(Path.of(setPath.substring("file://".length())), null,
                    extracted.resolve("set.xbstream"));
            String set = Files.readString(stream, StandardCharsets.ISO_8859_1);
            secrets.forEach(secret -> assertFalse(set.contains(secret), "a password is in the backup set"));
        } finally {
            TestTenant.deleteTree(extracted);
        }
    }

    @Test
    void aRestoredTenantRunsConfinedUnderItsOwnUser() throws Exception {
        Path destinations = backedUp();
        removeLeftovers(config.dataDir(), RESTORED);
        String dagId = api().body(Map.of("data_backup_uri", "file://" + destinations.resolve("data"),
                "restore_tenant_name", RESTORED)).post("/api/v1/tenant/restore").then().statusCode(200)
                .extract().path("data.id");
        JsonPath dag = awaitDag(dagId);
        assertEquals("SUCCEED", dag.getString("state"), dag::prettify);
        String logs = dag.prettify();
        if (InstanceUser.perInstanceUsers()) {
            String user = tenants.requireNormal(RESTORED).server().user().name().orElseThrow();
            String asUser = Pattern.quote("setpriv --reuid=" + user + " --regid=" + user + " --clear-groups -- ");
            // the service extracts the set and gives each file to the user (the datadir's owner, checked below)
            assertTrue(Pattern.compile(asUser + "mariabackup --no-defaults --prepare").matcher(logs).find()
                    && Pattern.compile(asUser + "mariabackup --no-defaults --move-back").matcher(logs).find(),
                    "the restore tools ran as " + user);
            assertNotEquals(processUid(OTHER), processUid(RESTORED), "not the source tenant's user");
        }
        assertNotEquals(0, processUid(RESTORED));
        MariaDbLayout layout = tenants.requireNormal(RESTORED).layout();
        assertEquals(processUid(RESTORED),
                ((Number) Files.getAttribute(layout.dataDir().resolve("mysql"), "unix:uid")).longValue());
        assertEquals(0700, mode(layout.dataDir()));
        int restoredPort = tenants.requireNormal(RESTORED).port();
        try (Connection root = connectAsRoot(restoredPort, OTHER_PASSWORD); Statement sql = root.createStatement()) {
            assertEquals(layout.secureFileDir() + "/", TenantLifecycleTest.single(sql, "SELECT @@secure_file_priv"));
            assertNull(TenantLifecycleTest.single(sql, "SELECT LOAD_FILE('" + tenants.requireNormal(OTHER).layout()
                    .agentOptionFile() + "')"));
        }
        assertNoSecret(decodedBinlog(binlogFiles(layout.binlogDir())), List.of(OTHER_PASSWORD, agentPassword(layout)),
                "binlog of the restored tenant");
    }

    /** Backup destination and archive of OTHER with one full backup, made once. */
    private Path backedUp() throws Exception {
        Path destinations = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-sec-dest");
        if (backedUp) {
            return destinations;
        }
        TestTenant.deleteTree(destinations);
        String dagId = api().body(Map.of("data_base_uri", "file://" + destinations.resolve("data"),
                        "archive_base_uri", "file://" + destinations.resolve("archive")))
                .post("/api/v1/tenant/" + OTHER + "/backup/config").then().statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
        dagId = api().body(Map.of("mode", "full")).post("/api/v1/tenant/" + OTHER + "/backup").then()
                .statusCode(200).extract().path("data.id");
        assertEquals("SUCCEED", awaitDag(dagId).getString("state"));
        backedUp = true;
        return destinations;
    }

    /** Waits until the archive holds mysql-bin.000001, the file the tenant's accounts were created in. */
    private static List<Path> awaitArchivedFirstFile(Path archive, Path target) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean first = ArchivedBinlogs.manifests(archive, 1).stream().flatMap(piece -> piece.files().stream())
                    .map(PieceManifest.ArchivedFile::name).anyMatch(name -> name.endsWith(".000001"));
            if (first) {
                return ArchivedBinlogs.extract(archive, 1, target);
            }
            sleep(500);
        }
        throw new AssertionError("mysql-bin.000001 was not archived within 60 s");
    }

    private static void assertNoSecret(String text, List<String> secrets, String where) {
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a password is in the " + where);
        }
        assertFalse(text.contains("IDENTIFIED"), "an account statement is in the " + where);
    }

    private static String decodedBinlog(List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("mariadb-binlog", "--no-defaults", "-vv"));
        files.forEach(file -> command.add(file.toString()));
        StringBuilder text = new StringBuilder();
        ExternalCommand.of(command).outputLines(line -> text.append(line).append('\n')).runChecked();
        assertTrue(text.toString().contains("Gtid"), "mariadb-binlog decoded events");
        return text.toString();
    }

    private static List<Path> binlogFiles(Path binlogDir) throws Exception {
        try (var files = Files.list(binlogDir)) {
            return files.filter(file -> file.getFileName().toString().matches("mysql-bin\\.[0-9]+")).sorted().toList();
        }
    }

    private static String agentPassword(MariaDbLayout layout) throws Exception {
        return Files.readAllLines(layout.agentOptionFile()).stream().filter(line -> line.startsWith("password="))
                .findFirst().orElseThrow().substring("password=".length());
    }

    /** The real uid of the tenant's mariadbd, from /proc/&lt;pid&gt;/status. */
    private long processUid(String tenant) throws Exception {
        long pid = tenants.requireNormal(tenant).server().pid().orElseThrow();
        String uidLine = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow();
        String[] ids = uidLine.substring("Uid:".length()).trim().split("\\s+");
        assertEquals(ids[0], ids[1], "real and effective uid");
        return Long.parseLong(ids[0]);
    }

    private static int mode(Path path) throws Exception {
        return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
    }
}
