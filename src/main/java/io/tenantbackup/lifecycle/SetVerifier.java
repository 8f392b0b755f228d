package io.tenantbackup.lifecycle;

import io.tenantbackup.backup.BackupSetManifest;
import io.tenantbackup.backup.BackupSetReader;
import io.tenantbackup.backup.StoredArtifact;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.storage.BackupStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Re-reads one backup set: its link to its parent (parent present, parent {@code to_lsn} = its {@code from_lsn}),
 * then every listed file, size and SHA-256 of the stored bytes, decrypted and decompressed when the set can be opened
 * (unencrypted, or with one of the given passwords), and the data stream's xbstream signature.
 */
final class SetVerifier {

    /** Every xbstream chunk starts with this magic; a decoded stream that does not is no mariabackup stream. */
    private static final byte[] XBSTREAM_MAGIC = "XBSTCK01".getBytes(StandardCharsets.US_ASCII);
    private static final String DATA = "data.xbstream";

    private SetVerifier() {
    }

    static Verdict verify(BackupStorage setDir, BackupSetManifest manifest, Map<Long, BackupSetManifest> sets,
                          List<char[]> passwords) {
        String set = "backup set " + manifest.backupSetId();
        BackupSetManifest.Parent parent = manifest.parent();
        if (parent != null) {
            BackupSetManifest stored = sets.get(parent.backupSetId());
            if (stored == null) {
                return Verdict.invalid(set + " is an incremental of backup set " + parent.backupSetId() + " ("
                        + parent.directory() + "), which has no manifest in the destination: the chain is broken");
            }
            if (stored.toLsn() != manifest.fromLsn()) {
                return Verdict.invalid(set + " starts at LSN " + manifest.fromLsn() + " but its parent backup set "
                        + parent.backupSetId() + " ends at to_lsn " + stored.toLsn());
            }
        }
        try {
            if (manifest.encryption().encrypted() && passwords.isEmpty()) {
                for (StoredArtifact.StoredFile file : manifest.files()) {
                    BackupSetReader.verifyStored(setDir, file);
                }
                return Verdict.valid("sizes and SHA-256 of its " + manifest.files().size() + " stored files match;"
                        + " not decrypted (encrypted, no password given)");
            }
            try (BackupSetReader reader = open(setDir, set, passwords)) {
                for (StoredArtifact.StoredFile file : manifest.files()) {
                    readWhole(reader, file);
                }
            }
            return Verdict.valid("its " + manifest.files().size() + " files match their size and SHA-256, "
                    + (manifest.encryption().encrypted() ? "decrypt, " : "") + "decompress, and " + DATA
                    + " is an xbstream");
        } catch (WrongPasswordException e) {
            return Verdict.invalid(e.getMessage());
        } catch (IOException e) {
            return Verdict.invalid(set + ": " + e.getMessage());
        }
    }

    private static BackupSetReader open(BackupStorage setDir, String set, List<char[]> passwords) throws IOException {
        if (passwords.isEmpty()) {
            return BackupSetReader.open(setDir, null);
        }
        for (char[] password : passwords) {
            try {
                return BackupSetReader.open(setDir, password);
            } catch (WrongPasswordException wrong) {
                // the next password may open it
            }
        }
        throw new WrongPasswordException("Wrong password for " + set + ": none of the " + passwords.size()
                + " password(s) given opens it");
    }

    private static void readWhole(BackupSetReader reader, StoredArtifact.StoredFile file) throws IOException {
        try (InputStream in = reader.open(file)) {
            if (DATA.equals(file.source())) {
                byte[] head = in.readNBytes(XBSTREAM_MAGIC.length);
                if (!Arrays.equals(head, XBSTREAM_MAGIC)) {
                    in.transferTo(OutputStream.nullOutputStream());
                    throw new IOException(file.name() + " decodes, but not to an xbstream (no XBSTCK01 chunk at its start)");
                }
            }
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
