package io.tenantbackup.repository.backupset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of {@code manifest.json}: pretty-printed JSON without null members (what the service has always written,
 * so sets written before this class existed read and re-write unchanged), and the strict read of it.
 */
final class ManifestFile {

    /** A set with thousands of carried binlog files stays far below this. */
    static final int MAX_BYTES = 16 << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ManifestFile() {
    }

    static byte[] bytes(BackupSetManifest manifest) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    }

    /** Writes the manifest of the set in {@code setDir} atomically; one the reader would refuse is not written. */
    static void write(BackupStorage setDir, BackupSetManifest manifest) throws IOException {
        try {
            manifest.requireWellFormed();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Refusing to write a manifest this service cannot read back: "
                    + e.getMessage(), e);
        }
        try (StoredArtifact artifact = StoredArtifact.create(setDir, SetLayout.MANIFEST)) {
            artifact.stream().write(bytes(manifest));
            artifact.commit();
        }
    }

    /**
     * The manifest in {@code setDir}; one larger than {@link #MAX_BYTES}, of another format version, or with a name,
     * parameter or layout this service does not write, is refused with a clear message: the destination is
     * untrusted input.
     */
    static BackupSetManifest read(BackupStorage setDir) throws IOException {
        String where = setDir.uri().resolve(SetLayout.MANIFEST).toString();
        JsonNode tree;
        try (InputStream in = setDir.open(SetLayout.MANIFEST)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException(where + " is larger than " + MAX_BYTES
                        + " bytes; it is not a manifest this service writes");
            }
            tree = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(where + " is not valid JSON: " + e.getOriginalMessage());
        }
        int version = tree.path("format_version").asInt();
        if (version != BackupSetManifest.FORMAT_VERSION) {
            throw new IOException(where + " has format_version " + version + "; this service reads version "
                    + BackupSetManifest.FORMAT_VERSION);
        }
        BackupSetManifest manifest;
        try {
            manifest = JSON.treeToValue(tree, BackupSetManifest.class);
            manifest.requireWellFormed();
        } catch (JsonProcessingException e) {
            throw new IOException(where + " is not a backup set manifest this service writes: "
                    + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " is not a backup set manifest this service writes: " + e.getMessage());
        }
        return manifest;
    }
}
