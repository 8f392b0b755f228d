package io.tenantbackup.repository.archive;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.tenantbackup.crypto.PasswordKdf;
import io.tenantbackup.crypto.WrappedKey;

/** The piece manifest's types, which Jackson reads and writes outside REST: a native image needs them named here. */
@RegisterForReflection(targets = {PieceManifest.class, PieceManifest.ArchivedFile.class, PieceManifest.Encryption.class,
        WrappedKey.class, PasswordKdf.class})
final class ArchiveJsonTypes {

    private ArchiveJsonTypes() {
    }
}
