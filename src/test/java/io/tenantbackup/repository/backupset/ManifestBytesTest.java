package io.tenantbackup.repository.backupset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.crypto.SegmentedAesGcm;
import io.tenantbackup.storage.Storages;
import io.tenantbackup.testing.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sets written before the format had one owner stay readable and are written byte for byte the same: the service
 * used to write {@code manifest.json} with its application ObjectMapper
 * ({@code json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest)}, nulls left out by
 * {@code quarkus.jackson.serialization-inclusion}); the format's own writer must produce the same bytes for every
 * shape of manifest, and its reader must read the old bytes back to the same manifest.
 */
@QuarkusTest
class ManifestBytesTest {

    @Inject
    ObjectMapper applicationJson;

    @Test
    void everyShapeOfManifestIsWrittenAsTheServiceWroteItAndReadsBack() throws Exception {
        PasswordKdf kdf = new PasswordKdf(PasswordKdf.ARGON2ID, 0x13, 65536, 3, 1, "c2FsdHNhbHRzYWx0c2FsdA==");
        BackupSetManifest full = BackupSetsTest.manifest(1, null);
        BackupSetManifest encryptedIncremental = new BackupSetManifest(2, 2, 7, "src", "INC",
                "2026-11-26T10:00:00.123+00:00", "2026-11-26T10:01:00Z", 100, 200, 201, null, null, "",
                new BackupSetManifest.Parent(1, "backup_set_1_full", 100), 1, false, null,
                new BackupSetManifest.ToolVersions("mariabackup 10.11", "unknown"), "none",
                new BackupSetManifest.Encryption(SegmentedAesGcm.ALGORITHM, kdf, "a1b2", SegmentedAesGcm.DEFAULT_SEGMENT_SIZE),
                List.of(new StoredArtifact.StoredFile("data.xbstream.enc", 5, "1".repeat(64), SetLayout.DATA, 4),
                        new StoredArtifact.StoredFile("xtrabackup_checkpoints.enc", 5, "2".repeat(64),
                                SetLayout.CHECKPOINTS, 4)));
        BackupSetManifest plusArchive = new BackupSetManifest(2, 3, 7, "src", "FULL", "2026-11-26T10:00:00Z",
                "2026-11-26T10:01:00Z", 0, 300, 300, "mysql-bin.000003", 42L, "0-1-9,1-2-3", null, 3, true,
                new BackupSetManifest.BinlogRange("mysql-bin.000002", 4, "0-1-5", "mysql-bin.000003", 42, "0-1-9,1-2-3",
                        List.of("binlog/mysql-bin.000002", "binlog/mysql-bin.000003")),
                new BackupSetManifest.ToolVersions("mariabackup 10.11", "10.11.6-MariaDB"), "zstd",
                BackupSetManifest.Encryption.NONE,
                List.of(new StoredArtifact.StoredFile("data.xbstream.zst", 5, "3".repeat(64), SetLayout.DATA, 9),
                        new StoredArtifact.StoredFile("binlog/mysql-bin.000002.zst", 5, "4".repeat(64),
                                "binlog/mysql-bin.000002", 9),
                        new StoredArtifact.StoredFile("binlog/mysql-bin.000003.zst", 5, "5".repeat(64),
                                "binlog/mysql-bin.000003", 9)));
        Path root = Files.createTempDirectory("tb-bytes");
        try {
            for (BackupSetManifest manifest : List.of(full, encryptedIncremental, plusArchive)) {
                byte[] asTheServiceWroteIt = applicationJson.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
                assertEquals(new String(asTheServiceWroteIt, StandardCharsets.UTF_8),
                        new String(ManifestFile.bytes(manifest), StandardCharsets.UTF_8));
                String directory = SetLayout.directoryName(manifest.backupSetId(), manifest.parent() != null);
                Files.createDirectories(root.resolve(directory));
                Files.write(root.resolve(directory).resolve(SetLayout.MANIFEST), asTheServiceWroteIt);
                assertEquals(manifest, BackupSets.in(Storages.open("file://" + root)).read(directory).manifest());
            }
        } finally {
            TestTenant.deleteTree(root);
        }
    }
}
