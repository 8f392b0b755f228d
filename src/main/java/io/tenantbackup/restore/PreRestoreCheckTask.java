package io.tenantbackup.restore;

import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads the chain's manifests (the request checked them; the destination may have changed since) and makes sure
 * the password of every encrypted set is still held in memory. Starts creating the new tenant's OS user meanwhile.
 */
@ApplicationScoped
public class PreRestoreCheckTask extends RestoreStep {

    @Override
    public void execute(TaskContext context) throws Exception {
        // useradd runs beside this check and the DAG's next transition; 'Start restore' waits for it
        restored.createUserAhead(tenant(context));
        List<String> lines = new ArrayList<>();
        try {
            check(context, lines);
        } finally {
            context.log(lines); // one commit: each line on its own held the restore up
        }
    }

    private void check(TaskContext context, List<String> lines) throws IOException {
        String tenant = tenant(context);
        BackupSets data = BackupSets.in(context.requiredParam(RestoreDags.DATA_URI));
        for (String directory : context.requiredParam(RestoreDags.CHAIN).split(",")) {
            BackupSetManifest manifest = data.read(directory).manifest();
            if (manifest.encryption().encrypted() && passwords.get(tenant, manifest.backupSetId()).isEmpty()) {
                throw new IllegalStateException("The decryption password of backup set " + manifest.backupSetId()
                        + " was kept in memory only and is gone (the service restarted or the DAG waited longer than "
                        + RestorePasswords.LIFETIME.toHours() + " h); restore again with the passwords");
            }
            lines.add("Backup set " + manifest.backupSetId() + " (" + manifest.backupType() + ", " + directory
                    + ") of tenant " + manifest.tenantName() + ": consistent at " + manifest.endTime() + ", GTID '"
                    + manifest.gtid() + "'" + (manifest.encryption().encrypted() ? ", encrypted" : ""));
        }
        lines.add("Restoring to " + RestorePoint.parse(context.requiredParam(RestoreDags.POINT_KIND),
                context.requiredParam(RestoreDags.POINT_VALUE)) + " as new tenant '" + tenant + "'. Its root password"
                + " and all its accounts are those of tenant '" + context.requiredParam(RestoreDags.SOURCE_TENANT)
                + "' at that point.");
        context.param(RestoreDags.POINT_NOTE).ifPresent(note -> lines.add("Restore point: " + note));
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
