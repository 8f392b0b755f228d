package io.tenantbackup.restore;

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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Streams each set of the chain from the destination (checksum verified while read → decrypted → decompressed, each
 * on a thread of its own) into the staging ({@link XbstreamExtractor}: paths confined to the set's directory, files
 * given to the new tenant's OS user), prepares the full, applies the incrementals in chain order and moves the result
 * into the new tenant's datadir. mariabackup runs as the new tenant's OS user (when the service is root), so what a
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
                    user);
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
                         InstanceUser user) throws Exception {
        try (BackupSetReader reader = data.openWith(set, keyOf(tenant, set.manifest()))) {
            context.log("Extracting backup set " + reader.manifest().backupSetId() + " from "
                    + data.uri(set.directory()) + " into " + target);
            long streamBytes = reader.manifest().dataFile().sourceSize();
            RestoreProgress.SetExtraction extracted = progress.extracting(tenant, streamBytes);
            long started = System.nanoTime();
            XbstreamExtractor.Extracted result;
            try (InputStream stream = reader.openData()) {
                result = extractOrExplain(stream, target, user, extracted, context);
            }
            extracted.done();
            context.log(String.format(Locale.ROOT, "Extracted %d files, %d bytes, in %.1f s", result.files(),
                    result.bytes(), (System.nanoTime() - started) / 1e9));
        }
    }

    /**
     * A stream the extractor refused may be a damaged file rather than a crafted one: its end says which (the stored
     * file's checksum), so a damaged file fails naming the file, as any read of it does.
     */
    private static XbstreamExtractor.Extracted extractOrExplain(InputStream stream, Path target, InstanceUser user,
                                                                LongConsumer extracted, TaskContext context)
            throws Exception {
        try {
            return XbstreamExtractor.extract(stream, target, user::own, extracted, context.cancellation());
        } catch (XbstreamExtractor.RefusedStream refused) {
            try {
                stream.transferTo(OutputStream.nullOutputStream());
            } catch (IOException damaged) {
                damaged.addSuppressed(refused);
                throw damaged;
            }
            throw refused;
        }
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
