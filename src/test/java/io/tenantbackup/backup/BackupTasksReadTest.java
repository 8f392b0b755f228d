package io.tenantbackup.backup;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tenantbackup.testing.SqlStatements;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static io.tenantbackup.api.TenantApiClient.createTenant;
import static io.tenantbackup.api.TenantApiClient.dropTenant;
import static io.tenantbackup.api.TenantApiClient.removeLeftovers;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GET /tenant/{name}/backup/tasks, which dashboards poll, over a catalog of sets with every filter, sort and paging
 * parameter of the contract: the answers are byte for byte those the Hibernate implementation gave
 * (backup/tasks-pages.txt was recorded from it, envelope timestamp, duration and trace id aside), and each read is
 * the route's tenant check plus one statement, two when the page lies past the end.
 */
@QuarkusTest
class BackupTasksReadTest {

    private static final String TENANT = "btr";
    private static final String TASKS = "/api/v1/tenant/" + TENANT + "/backup/tasks";
    private static final String GOLDEN = "/backup/tasks-pages.txt";
    private static final long FIRST_SET = 990_001;

    /** The catalog's sets (PATH: their path): ties in start time, open end, fractions of seconds, NULLs, non-ASCII. */
    private static final List<String> SETS = List.of(
            "'FULL', 1, 'COMPLETED', PATH, '2026-01-01 10:00:00.000000', '2026-01-01 10:05:00.250000', 5, 9, 1000, 100,"
                    + " NULL, 1500, 'mysql-bin.000001', 328, '0-1-9', 'NONE', NULL, 0",
            "'INC', 0, 'COMPLETED', PATH, '2026-01-01 12:00:00.123456', '2026-01-01 12:01:00.000000', 9, 12, 300, 30,"
                    + " 1500, 1700, 'mysql-bin.000002', 4, '0-1-12', 'PASSWORD', 'nightly', 0",
            "'FULL', 0, 'FAILED', PATH, '2026-01-02 00:00:00.000000', '2026-01-02 00:00:30.000000', NULL, NULL, 0, 0,"
                    + " NULL, NULL, NULL, NULL, NULL, 'NONE', 'mariabackup failed: \"quoted\" ünïcode', -4018",
            "'INC', 0, 'CANCELED', PATH, '2026-01-02 00:00:00.000000', '2026-01-02 00:10:00.000000', 12, NULL, 10, 1,"
                    + " 1700, NULL, NULL, NULL, NULL, 'NONE', '', 0",
            "'FULL', 1, 'DOING', PATH, '2026-01-03 08:30:00.500000', NULL, 20, NULL, 4096, 512, NULL, NULL, NULL, NULL,"
                    + " NULL, 'PASSWORD', NULL, 0",
            "'FULL', 0, 'COMPLETED', PATH, '2025-12-31 23:59:59.999999', '2026-01-01 00:10:00.000000', 1, 5, 2000, 200,"
                    + " NULL, 1400, 'mysql-bin.000001', 4, '0-1-5', 'NONE', NULL, 0");

    /** Each query with the number of statements it may issue besides the route's tenant check. */
    private static final Map<String, Integer> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("", 1);
        QUERIES.put("?page=2&size=2", 1);
        QUERIES.put("?page=1&size=3&sort=end_timestamp,asc", 1);
        QUERIES.put("?sort=end_timestamp,desc", 1);
        QUERIES.put("?sort=end_timestamp", 1);
        QUERIES.put("?sort=start_timestamp,asc&size=4", 1);
        QUERIES.put("?sort=bogus,asc", 1);
        QUERIES.put("?status=completed", 1);
        QUERIES.put("?status=Failed,CANCELED,doing&sort=start_timestamp,asc", 1);
        QUERIES.put("?status=completed,nosuch&page=2&size=1", 1);
        QUERIES.put("?status=nosuch", 0);
        QUERIES.put("?status=init", 1);
        QUERIES.put("?start_time=2026-01-01T12:00:00.123456Z", 1);
        QUERIES.put("?start_time=2026-01-01T14:00:00.123457+02:00", 1);
        QUERIES.put("?end_time=2026-01-02T02:00:00+02:00&sort=start_timestamp,asc", 1);
        QUERIES.put("?start_time=2026-01-01T00:00:00Z&end_time=2026-01-02T00:00:00Z&status=completed,failed", 1);
        QUERIES.put("?page=4&size=2", 2);
        QUERIES.put("?page=7&size=1&status=completed", 2);
        QUERIES.put("?page=0&size=0", 1);
        QUERIES.put("?page=2147483647&size=2147483647", 2);
    }

    @Inject
    DataSource dataSource;

    @Inject
    ServiceConfig config;

    @Test
    void everyFilterSortAndPageAnswersAsBeforeInBoundedStatements() throws Exception {
        removeLeftovers(config.dataDir(), TENANT);
        long tenantId = createTenant(TENANT, "btr-root").getLong("tenant_id");
        try {
            seed(tenantId);
            StringBuilder pages = new StringBuilder();
            for (Map.Entry<String, Integer> query : QUERIES.entrySet()) {
                pages.append("GET ").append(query.getKey()).append('\n').append(stable(tenantId, get(query.getKey())
                        .then().statusCode(200).extract().asString())).append("\n\n");
                List<String> statements = SqlStatements.fewestOf(5, () -> get(query.getKey()).then().statusCode(200));
                assertEquals(1 + query.getValue(), statements.size(), () -> query.getKey()
                        + ": the route's tenant check, then the page with its total: " + statements);
            }
            assertEquals(golden(), pages.toString());
        } finally {
            sql("DELETE FROM backup_set WHERE id >= " + FIRST_SET + " AND id < " + (FIRST_SET + SETS.size()));
            dropTenant(TENANT);
        }
    }

    /**
     * GET of the route with the query's parameters, encoded by rest-assured. The request is validated against the
     * contract unless it holds what obshell takes and the validator does not: a time with an offset other than Z
     * (valid RFC 3339), page or size 0 (taken as 1 and all).
     */
    private static Response get(String query) {
        RequestSpecification request = query.contains("+") || query.contains("=0") ? badRequest() : api();
        if (!query.isEmpty()) {
            for (String parameter : query.substring(1).split("&")) {
                String[] nameAndValue = parameter.split("=", 2);
                request.queryParam(nameAndValue[0], nameAndValue[1]);
            }
        }
        return request.get(TASKS);
    }

    private void seed(long tenantId) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < SETS.size(); i++) {
            long id = FIRST_SET + i;
            rows.add("(" + id + ", " + tenantId + ", '" + TENANT + "', NULL, "
                    + SETS.get(i).replace("PATH", "'file:///btr/backup_set_" + id + "'") + ")");
        }
        sql("INSERT INTO backup_set (id, tenant_id, tenant_name, dag_id, backup_type, plus_archive, status, path,"
                + " start_time, end_time, start_scn, end_scn, input_bytes, output_bytes, from_lsn, to_lsn, binlog_file,"
                + " binlog_position, gtid, encryption_mode, comment, result) VALUES " + String.join(", ", rows));
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /** The body without what changes from one answer to the next, and with the tenant's id as a name. */
    private static String stable(long tenantId, String body) {
        return body.replaceFirst("\"timestamp\":\"[^\"]+\"", "\"timestamp\":\"T\"")
                .replaceFirst("\"duration\":\\d+", "\"duration\":0")
                .replaceFirst("\"traceId\":\"[^\"]+\"", "\"traceId\":\"X\"")
                .replace("\"tenant_id\":" + tenantId + ",", "\"tenant_id\":TENANT,");
    }

    private static String golden() throws IOException {
        try (InputStream in = BackupTasksReadTest.class.getResourceAsStream(GOLDEN)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
