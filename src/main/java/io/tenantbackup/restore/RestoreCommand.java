package io.tenantbackup.restore;

import io.tenantbackup.storage.StorageUri;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** {@code POST /api/v1/tenant/restore} as the service sees it; {@code oceanBaseOptions} are recorded only. */
public record RestoreCommand(String dataBackupUri, String tenantName, String archiveLogUri, OffsetDateTime timestamp,
                             Long scn, List<String> decryption, Integer concurrency,
                             Map<String, Object> oceanBaseOptions) {

    @Override
    public String toString() {
        return "RestoreCommand[tenant=" + tenantName + ", data=" + StorageUri.shown(dataBackupUri) + ", archive="
                + StorageUri.shown(archiveLogUri)
                + ", timestamp=" + timestamp + ", scn=" + scn + "]";
    }
}
