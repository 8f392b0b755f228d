package io.tenantbackup.lifecycle;

import io.tenantbackup.codec.StoredArtifact;
import io.tenantbackup.crypto.WrongPasswordException;
import io.tenantbackup.repository.backupset.BackupSetManifest;
import io.tenantbackup.repository.backupset.BackupSetReader;
import io.tenantbackup.repository.backupset.BackupSets;
import io.tenantbackup.repository.backupset.SetLayout;
import io.tenantbackup.repository.backupset.StoredSet;

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

    private SetVerifier() {
    }

    static Verdict verify(BackupSets destination, StoredSet stored, Map<Long, BackupSetManifest> sets,
                          List<char[]> passwords) {
        BackupSetManifest manifest = stored.manifest();
        String set = "backup set " + manifest.backupSetId();
        BackupSetManifest.Parent parent = manifest.parent();
        if (parent != null) {
            BackupSetManifest parentManifest = sets.get(parent.backupSetId());
            if (parentManifest == null) {
                return Verdict.invalid(set + " is an incremental of backup set " + parent.backupSetId() + " ("
                        + parent.directory() + "), which has no manifest in the destination: the chain is broken");
            }
            if (parentManifest.toLsn() != manifest.fromLsn()) {
                return Verdict.invalid(set + " starts at LSN " + manifest.fromLsn() + " but its parent backup set "
                        + parent.backupSetId() + " ends at to_lsn " + parentManifest.toLsn());
            }
        }
        try {
            if (manifest.encryption().encrypted() && passwords.isEmpty()) {
                destination.verify(stored.directory());
                return Verdict.valid("sizes and SHA-256 of its " + manifest.files().size() + " stored files match;"
                        + " not decrypted (encrypted, no password given)");
            }
            try (BackupSetReader reader = open(destination, stored.directory(), set, passwords)) {
                for (StoredArtifact.StoredFile file : manifest.files()) {
                    readWhole(reader, file);
                }
            }
            return Verdict.valid("its " + manifest.files().size() + " files match their size and SHA-256, "
                    + (manifest.encryption().encrypted() ? "decrypt, " : "") + "decompress, and " + SetLayout.DATA
                    + " is an xbstream");
        } catch (WrongPasswordException e) {
            return Verdict.invalid(e.getMessage());
        } catch (IOException e) {
            return Verdict.invalid(set + ": " + e.getMessage());
        }
    }

    private static BackupSetReader open(BackupSets destination, String directory, String set, List<char[]> passwords)
            throws IOException {
        if (passwords.isEmpty()) {
            return destination.open(directory, null);
        }
        for (char[] password : passwords) {
            try {
                return destination.open(directory, password);
            } catch (WrongPasswordException wrong) {
                // the next password may open it
            }
        }
        throw new WrongPasswordException("Wrong password for " + set + ": none of the " + passwords.size()
                + " password(s) given opens it");
    }

    private static void readWhole(BackupSetReader reader, StoredArtifact.StoredFile file) throws IOException {
        try (InputStream in = reader.open(file)) {
            if (SetLayout.DATA.equals(file.source())) {
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
