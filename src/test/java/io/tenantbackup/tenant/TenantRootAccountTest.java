package io.tenantbackup.tenant;

import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenantbackup.api.TenantApiClient.connectAsRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restored datadir may carry a password-less root (a backup of a tenant of an earlier version): it is locked. */
class TenantRootAccountTest {

    @Test
    void passwordlessRootAccountsOfARestoredDatadirAreLockedAndOthersLeftAlone() throws Exception {
        try (TestTenant tenant = TestTenant.start(7, "t_rootlock", Map.of())) {
            int port = tenant.instance().port();
            try (Connection root = connectAsRoot(port, ""); Statement sql = root.createStatement()) {
                sql.execute("CREATE USER 'root'@'10.%' IDENTIFIED BY 'has-a-password'");
            }
            List<String> log = new ArrayList<>();
            try (Connection agent = tenant.instance().agent().connect()) {
                TenantRootAccount.lockIfPasswordless("t_rootlock", agent, log::add);
                TenantRootAccount.lockIfPasswordless("t_rootlock", agent, log::add);
            }
            assertEquals(1, log.size(), log::toString);
            assertTrue(log.get(0).contains("'root'@'localhost'") && log.get(0).contains("'root'@'127.0.0.1'")
                    && !log.get(0).contains("10.%"), log.get(0));
            SQLException locked = assertThrows(SQLException.class, () -> connectAsRoot(port, "").close());
            assertTrue(locked.getMessage().contains("locked"), locked.getMessage());
            try (Connection agent = tenant.instance().agent().connect(); Statement sql = agent.createStatement();
                 var rows = sql.executeQuery("SELECT JSON_EXTRACT(Priv, '$.account_locked') FROM mysql.global_priv"
                         + " WHERE User = 'root' AND Host = '10.%'")) {
                rows.next();
                assertEquals(null, rows.getString(1), "an account with a password stays open");
            }
        }
    }
}
