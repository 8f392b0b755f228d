package io.tenantbackup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;

import static io.tenantbackup.api.TenantApiClient.sleep;

/** Waits until a tenant's binlog archive holds everything the tenant has logged so far. */
public final class ArchiveWait {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private ArchiveWait() {
    }

    /** FLUSH BINARY LOGS, then waits until the archive's last file ends at the tenant's GTID position. */
    public static void untilArchived(Connection tenant, Path archive) throws Exception {
        long wanted;
        try (Statement sql = tenant.createStatement()) {
            sql.execute("FLUSH BINARY LOGS");
            try (ResultSet row = sql.executeQuery("SELECT @@gtid_binlog_pos")) {
                row.next();
                wanted = Gtids.seqNo(row.getString(1));
            }
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (archivedSeqNo(archive) >= wanted) {
                return;
            }
            sleep(500);
        }
        throw new AssertionError("The archive did not reach GTID seq_no " + wanted + " within " + DEADLINE);
    }

    private static long archivedSeqNo(Path archive) {
        ObjectMapper json = new ObjectMapper();
        long archived = 0;
        try (Stream<Path> files = Files.walk(archive)) {
            for (Path manifest : files.filter(f -> f.getFileName().toString().equals("manifest.json")).toList()) {
                for (JsonNode file : json.readTree(manifest.toFile()).path("files")) {
                    archived = Math.max(archived, Gtids.seqNo(file.path("end_gtid_pos").asText()));
                }
            }
        } catch (UncheckedIOException | IOException e) {
            return 0; // a manifest being replaced or the archive not there yet: look again
        }
        return archived;
    }
}
