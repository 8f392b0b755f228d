package io.tenantbackup.backup;

import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Where a tenant's binlog stands: file, position and GTID position. */
record BinlogPoint(String file, long position, String gtid) {

    /** Where the tenant's binlog stands now; a tenant without a binlog fails, plus_archive needs one. */
    static BinlogPoint current(TenantInstance tenant) throws Exception {
        try (Connection connection = tenant.agent().connect(); Statement sql = connection.createStatement()) {
            String gtid;
            try (ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
                row.next();
                gtid = row.getString(1);
            }
            try (ResultSet status = sql.executeQuery("SHOW MASTER STATUS")) {
                if (!status.next()) {
                    throw new IOException("Tenant " + tenant.name() + " writes no binlog; plus_archive needs one");
                }
                return new BinlogPoint(status.getString("File"), status.getLong("Position"), gtid);
            }
        }
    }
}
