package io.tenantbackup.tenant;

import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.error.CommonErrors;
import io.tenantbackup.error.ErrorCode;
import io.tenantbackup.error.ServiceException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refused requests answer with obshell's codes and leave no row, no directory and no secret behind. */
@QuarkusTest
class TenantValidationTest {

    @Inject
    TenantService tenants;
    @Inject
    TenantStore store;
    @Inject
    PendingSecrets secrets;
    @Inject
    ServiceConfig config;

    @Test
    void namesAreCheckedInObshellOrder() {
        assertRefused(TenantErrors.NAME_EMPTY, "", "Tenant name is empty.");
        assertRefused(TenantErrors.NAME_EMPTY, null, "Tenant name is empty.");
        assertRefused(TenantErrors.SYS_OPERATION_NOT_ALLOWED, "sys", "Operation on tenant 'sys' is not allowed.");
        ServiceException invalid = refuse(command("1abc", null, null, Map.of()));
        assertEquals(TenantErrors.NAME_INVALID, invalid.code());
        assertTrue(invalid.getMessage().contains("must start with a letter or '_'"), invalid.getMessage());
        assertEquals(TenantErrors.NAME_INVALID, refuse(command("t-1", null, null, Map.of())).code());
        assertEquals(TenantErrors.NAME_INVALID, refuse(command("../etc", null, null, Map.of())).code());
        assertEquals(TenantErrors.NAME_INVALID, refuse(command("a".repeat(65), null, null, Map.of())).code());
    }

    @Test
    void unknownTenantDoesNotExist() {
        ServiceException missing = assertThrows(ServiceException.class, () -> tenants.get("t_missing"));
        assertEquals(TenantErrors.NOT_EXIST, missing.code());
        assertEquals("Tenant 't_missing' does not exist.", missing.getMessage());
        assertEquals(TenantErrors.NOT_EXIST,
                assertThrows(ServiceException.class, () -> tenants.requireNormal("t_missing")).code());
        assertEquals(TenantErrors.NOT_EXIST,
                assertThrows(ServiceException.class, () -> tenants.delete("t_missing")).code());
        assertEquals(TenantErrors.SYS_OPERATION_NOT_ALLOWED,
                assertThrows(ServiceException.class, () -> tenants.delete("sys")).code());
    }

    @Test
    void charsetsAndCollationsMustBeMariaDbOnes() {
        assertIllegal(command("t_bad", "klingon", null, Map.of()), "charset 'klingon'");
        assertIllegal(command("t_bad", null, "utf8mb4_klingon_ci", Map.of()), "collation 'utf8mb4_klingon_ci'");
        assertIllegal(command("t_bad", "latin1", "utf8mb4_bin", Map.of()), "does not belong to charset 'latin1'");
        assertIllegal(command("t_bad", "utf8mb4'; DROP", null, Map.of()), "charset");
    }

    @Test
    void variablesMustHaveSimpleNamesAndValues() {
        assertIllegal(command("t_bad", null, null, Map.of("max-connections", 1)), "variable name 'max-connections'");
        assertIllegal(command("t_bad", null, null, Map.of("sql_mode", "x'; SHUTDOWN; --")), "sql_mode");
        assertIllegal(command("t_bad", null, null, Map.of("wait_timeout", Map.of("a", 1))), "wait_timeout");
    }

    /** An allowlist: the service's settings, and anything naming a file, a log or a plugin, are refused up front. */
    @Test
    void onlyAllowlistedVariablesMayBeSet() {
        for (String variable : List.of("binlog_format", "server_id", "sql_log_bin", "read_only", "gtid_domain_id",
                "general_log_file", "general_log", "slow_query_log_file", "secure_file_priv", "plugin_dir",
                "init_connect", "local_infile", "no_such_variable")) {
            assertIllegal(command("t_bad", null, null, Map.of(variable, "ON")),
                    "variable '" + variable + "' is not one a tenant may set");
        }
    }

    @Test
    void aLeftoverDirectoryIsNotTakenOver() throws Exception {
        Files.createDirectories(config.dataDir().resolve("t_leftover"));
        try {
            assertEquals(TenantErrors.EXISTED, refuse(command("t_leftover", null, null, Map.of())).code());
            assertTrue(store.find("t_leftover").isEmpty());
        } finally {
            Files.delete(config.dataDir().resolve("t_leftover"));
        }
    }

    private void assertRefused(ErrorCode code, String name, String message) {
        ServiceException refused = refuse(command(name, null, null, Map.of()));
        assertEquals(code, refused.code());
        assertEquals(message, refused.getMessage());
    }

    private void assertIllegal(CreateTenantCommand command, String messagePart) {
        ServiceException refused = refuse(command);
        assertEquals(CommonErrors.ILLEGAL_ARGUMENT, refused.code());
        assertTrue(refused.getMessage().contains(messagePart), refused.getMessage());
        assertTrue(refused.getMessage().contains("Tenant '" + command.name() + "'"), refused.getMessage());
    }

    /** Refuses the request and checks that it created nothing. */
    private ServiceException refuse(CreateTenantCommand command) {
        ServiceException refused = assertThrows(ServiceException.class, () -> tenants.create(command));
        if (command.name() != null && !command.name().isEmpty() && !command.name().contains("/")) {
            assertTrue(store.find(command.name()).isEmpty(), "no row for " + command.name());
            assertFalse(Files.exists(config.dataDir().resolve(command.name()))
                    && !command.name().equals("t_leftover"), "no directory for " + command.name());
            assertTrue(secrets.take(command.name()).isEmpty(), "no secret kept for " + command.name());
        }
        return refused;
    }

    private static CreateTenantCommand command(String name, String charset, String collation, Map<String, Object> variables) {
        return new CreateTenantCommand(name, "pw", charset, collation, variables, Map.of());
    }
}
