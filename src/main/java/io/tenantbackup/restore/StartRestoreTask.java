package io.tenantbackup.restore;

import io.tenantbackup.codec.ArtifactCodec;
import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.MasterKey;
import io.tenantbackup.engine.mariadb.InstanceUser;
import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.mariadb.MariaDbServer;
import io.tenantbackup.engine.process.ExternalCommand;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSetReader;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.StoredSet;
import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams each set of the chain from the destination (checksum verified while read → decrypted → decompressed by
 * {@code zstd -d}) into {@code mbstream -x} in the staging, prepares the full, applies the incrementals in chain order and moves the result
 * into the new tenant's datadir. The tools run as the new tenant's OS user (when the service is root), so what a
 * backup set holds can only be written where that user may write. Not safe to re-run: a half-extracted staging is
 * cleaned up and the restore redone.
 */
@ApplicationScoped
public class StartRestoreTask extends RestoreStep {

    private static final Duration STEP_TIMEOUT = Duration.ofHours(12);

    @Inject
    RestoreProgress progress;

    @Override
    public void execute(TaskContext context) throws Exception {
        String tenant = tenant(context);
        BackupSets data = BackupSets.in(context.requiredParam(RestoreDags.DATA_URI));
        List<String> chain = List.of(context.requiredParam(RestoreDags.CHAIN).split(","));
        String parallel = "--parallel=" + context.requiredParam(RestoreDags.CONCURRENCY);
        // what needs no OS user first: 'Pre restore check' started its useradd, which may still run
        RestoreStaging staging = staging(context);
        staging.remove();
        StoredSet full = data.read(chain.get(0));
        MariaDbServer server = restored.prepareDirectories(tenant, context::log);
        InstanceUser user = server.user();
        user.createPrivateDirectory(staging.root());
        progress.start(tenant, chain.size());
        for (int index = 0; index < chain.size(); index++) {
            user.createPrivateDirectory(staging.set(index));
            extract(context, tenant, data, index == 0 ? full : data.read(chain.get(index)), staging.set(index),
                    user, parallel);
            ExtractedSetCheck.vet(staging.set(index), server.layout().dataDir());
        }
        context.put(RestoreDags.FINISH_BYTES, String.valueOf(progress.finishBytes(tenant)));
        Path prepared = staging.set(0);
        RestoreCommands.run(context, mariabackup(user, "--prepare", "--target-dir=" + prepared));
        progress.prepared(tenant, 1);
        for (int index = 1; index < chain.size(); index++) {
            context.cancellation().throwIfCancelled();
            RestoreCommands.run(context, mariabackup(user, "--prepare", "--target-dir=" + prepared,
                    "--incremental-dir=" + staging.set(index)));
            progress.prepared(tenant, index + 1);
        }
        MariaDbLayout layout = server.layout();
        RestoreCommands.run(context, mariabackup(user, "--move-back", parallel, "--target-dir=" + prepared,
                "--datadir=" + layout.dataDir()), "Tenant '" + tenant + "': datadir " + layout.dataDir()
                + " restored from " + chain.size() + " backup set(s), " + progress.finishBytes(tenant)
                + " bytes of backup stream");
        staging.remove();
    }

    private void extract(TaskContext context, String tenant, BackupSets data, StoredSet set, Path target,
                         InstanceUser user, String parallel) throws Exception {
        try (BackupSetReader reader = data.openWith(set, keyOf(tenant, set.manifest()))) {
            boolean zstd = reader.manifest().compression().equals(ArtifactCodec.ZSTD);
            context.log("Extracting backup set " + reader.manifest().backupSetId() + " from "
                    + data.uri(set.directory()) + " into " + target);
            StoredArtifact.StoredFile file = reader.manifest().dataFile();
            RestoreProgress.SetExtraction extracted = progress.extracting(tenant, file.sourceSize(),
                    zstd ? file.size() : file.sourceSize());
            try (InputStream stream = zstd ? reader.openCompressedData() : reader.openData()) {
                RestoreCommands.feed(context, ExternalCommand.of(user.runAs(extraction(zstd, parallel, target)))
                        .timeout(STEP_TIMEOUT), stream, extracted);
            }
            extracted.done();
        }
    }

    /**
     * {@code mbstream -x} into {@code target}; a zstd set goes through {@code zstd -d} first, piped by the kernel as
     * the plain commands are: the service then moves the stored bytes only (an eighth of the stream), not the whole
     * stream twice through a JVM thread. With pipefail, a failure of either program fails the extraction.
     */
    private static List<String> extraction(boolean zstd, String parallel, Path target) {
        List<String> mbstream = List.of("mbstream", "-x", parallel, "-C", target.toString());
        if (!zstd) {
            return mbstream;
        }
        List<String> piped = new ArrayList<>(List.of("bash", "-c", "set -o pipefail; zstd -d -q -c | \"$@\"",
                "zstd-mbstream"));
        piped.addAll(mbstream);
        return piped;
    }

    private MasterKey keyOf(String tenant, BackupSetManifest manifest) {
        return manifest.encryption().encrypted() ? passwords.get(tenant, manifest.backupSetId()).orElseThrow(() ->
                new IllegalStateException("The decryption password of backup set " + manifest.backupSetId()
                        + " is gone (the service restarted?); restore again with the passwords")) : null;
    }

    private static ExternalCommand mariabackup(InstanceUser user, String... arguments) {
        List<String> command = new ArrayList<>(List.of("mariabackup", "--no-defaults"));
        command.addAll(List.of(arguments));
        return ExternalCommand.of(user.runAs(command)).timeout(STEP_TIMEOUT);
    }
}
