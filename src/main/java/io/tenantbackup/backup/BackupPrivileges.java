package io.tenantbackup.backup;

import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * mariabackup checks RELOAD and PROCESS itself, but without BINLOG MONITOR it copies everything and only then fails
 * on SHOW MASTER STATUS, and without SUPER its {@code --innodb-log-checkpoint-now} does nothing and says nothing
 * (measured on 10.11), leaving to_lsn at an old checkpoint so that every later incremental re-copies the pages
 * written since. So the agent account's global grants are checked before it starts.
 */
final class BackupPrivileges {

    static final List<String> REQUIRED = List.of("RELOAD", "PROCESS", "BINLOG MONITOR", "SUPER");
    private static final Pattern GLOBAL_GRANT = Pattern.compile("^GRANT (.+?) ON \\*\\.\\* TO ");

    private BackupPrivileges() {
    }

    /** Fails naming the missing privileges. The grant rows are never logged: they may carry a password hash. */
    static void require(TenantInstance tenant) throws SQLException, IOException {
        Set<String> granted = new HashSet<>();
        try (Connection connection = tenant.agent().connect(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rows.next()) {
                Matcher grant = GLOBAL_GRANT.matcher(rows.getString(1));
                if (grant.find()) {
                    Arrays.stream(grant.group(1).split(","))
                            .map(privilege -> privilege.trim().toUpperCase(Locale.ROOT))
                            .forEach(granted::add);
                }
            }
        }
        if (granted.contains("ALL PRIVILEGES")) {
            return;
        }
        List<String> missing = new ArrayList<>(REQUIRED);
        missing.removeAll(granted);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The backup account of tenant " + tenant.name() + " lacks the global "
                    + "privilege(s) " + String.join(", ", missing) + " that mariabackup needs (it needs "
                    + String.join(", ", REQUIRED) + "); grant them ON *.* and start the backup again");
        }
    }
}
