package io.tenantbackup.testing;

import io.tenantbackup.engine.mariadb.AgentAccount;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.mariadb.MariaDbServer;
import io.tenantbackup.engine.process.ExternalCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

/**
 * Proves a stored full backup restores: extracts {@code data.xbstream} with mbstream, prepares it with mariabackup,
 * starts a server on the copy and returns its table checksums (compare them with {@link TableChecksums} of the
 * source at the backup point). The source's agent.cnf is reused: the restored copy has the same accounts.
 */
public final class RestoreCheck {

    private RestoreCheck() {
    }

    /** Work done on the started copy before its checksums are taken (e.g. a binlog replay). */
    public interface OnRestoredCopy {
        void accept(MariaDbLayout layout, int port) throws Exception;
    }

    public static Map<String, Long> restoredChecksums(Path xbstream, Path sourceAgentOptionFile) throws Exception {
        return restoredChecksums(xbstream, sourceAgentOptionFile, (layout, port) -> { });
    }

    public static Map<String, Long> restoredChecksums(Path xbstream, Path sourceAgentOptionFile,
                                                      OnRestoredCopy beforeChecksums) throws Exception {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "tb-r");
        MariaDbLayout layout = new MariaDbLayout(home);
        MariaDbServer server = new MariaDbServer(layout);
        try {
            Files.createDirectories(layout.dataDir());
            ExternalCommand.of("bash", "-c", "mbstream -x -C \"$1\" < \"$2\"", "extract",
                            layout.dataDir().toString(), xbstream.toString())
                    .timeout(Duration.ofMinutes(10)).runChecked();
            ExternalCommand.of("mariabackup", "--no-defaults", "--prepare", "--target-dir=" + layout.dataDir())
                    .timeout(Duration.ofMinutes(10)).runChecked();
            Files.copy(sourceAgentOptionFile, layout.agentOptionFile());
            int port = TestTenant.freePort();
            server.start(port, 99, Map.of(), line -> { });
            beforeChecksums.accept(layout, port);
            try (Connection connection = new AgentAccount(layout, port).connect()) {
                return TableChecksums.of(connection);
            }
        } finally {
            server.stop(line -> { });
            TestTenant.deleteTree(home);
        }
    }
}
