package io.tenantbackup.testing;

import io.tenantbackup.engine.mariadb.AgentAccount;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.mariadb.MariaDbServer;
import io.tenantbackup.engine.process.ExternalCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Proves stored backups restore: extracts each xbstream with mbstream, prepares the full with mariabackup and applies
 * the incrementals in chain order ({@code --prepare --incremental-dir}), starts a server on the copy and returns its
 * table checksums (compare them with {@link TableChecksums} of the source at the last set's point). The source's
 * agent.cnf is reused: the restored copy has the same accounts.
 */
public final class RestoreCheck {

    private static final Duration STEP = Duration.ofMinutes(10);

    private RestoreCheck() {
    }

    /** Work done on the started copy before its checksums are taken (e.g. a binlog replay). */
    public interface OnRestoredCopy {
        void accept(MariaDbLayout layout, int port) throws Exception;
    }

    public static Map<String, Long> restoredChecksums(Path xbstream, Path sourceAgentOptionFile) throws Exception {
        return restoredChecksums(List.of(xbstream), sourceAgentOptionFile, (layout, port) -> { });
    }

    /** {@code chain}: the full's xbstream first, then each incremental's, oldest first. */
    public static Map<String, Long> restoredChecksums(List<Path> chain, Path sourceAgentOptionFile) throws Exception {
        return restoredChecksums(chain, sourceAgentOptionFile, (layout, port) -> { });
    }

    public static Map<String, Long> restoredChecksums(List<Path> chain, Path sourceAgentOptionFile,
                                                      OnRestoredCopy beforeChecksums) throws Exception {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "tb-r");
        MariaDbLayout layout = new MariaDbLayout(home);
        MariaDbServer server = new MariaDbServer(layout);
        try {
            extract(chain.get(0), layout.dataDir());
            ExternalCommand.of("mariabackup", "--no-defaults", "--prepare", "--target-dir=" + layout.dataDir())
                    .timeout(STEP).runChecked();
            for (int index = 1; index < chain.size(); index++) {
                Path incremental = home.resolve("inc" + index);
                extract(chain.get(index), incremental);
                ExternalCommand.of("mariabackup", "--no-defaults", "--prepare", "--target-dir=" + layout.dataDir(),
                        "--incremental-dir=" + incremental).timeout(STEP).runChecked();
            }
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
            server.user().remove(line -> { });
        }
    }

    private static void extract(Path xbstream, Path directory) throws Exception {
        Files.createDirectories(directory);
        ExternalCommand.of("bash", "-c", "mbstream -x -C \"$1\" < \"$2\"", "extract",
                        directory.toString(), xbstream.toString())
                .timeout(STEP).runChecked();
    }
}
