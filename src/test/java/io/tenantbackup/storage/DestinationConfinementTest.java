package io.tenantbackup.storage;

import io.tenantbackup.error.ServiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule on real directories and links: protected trees, their ancestors, links into them, the allowlist. */
class DestinationConfinementTest {

    @TempDir
    Path dir;

    @Test
    void aDestinationInsideOrAboveAProtectedDirectoryIsRefusedAnywhereElseAccepted() throws IOException {
        Path service = Files.createDirectories(dir.resolve("service/data"));
        DestinationConfinement confinement = new DestinationConfinement(() -> List.of(service), List.of());
        assertEquals("OB.Storage.URI.Protected", code(confinement, service));
        assertEquals("OB.Storage.URI.Protected", code(confinement, service.resolve("not/yet/there")));
        assertEquals("OB.Storage.URI.Protected", code(confinement, dir.resolve("service")));
        for (String kernel : List.of("/proc/self", "/sys/kernel", "/dev/shm/x", "/")) {
            assertEquals("OB.Storage.URI.Protected", code(confinement, Path.of(kernel)), kernel);
        }
        assertDoesNotThrow(() -> confinement.check(uri(dir.resolve("service-backups/data"))));
        assertDoesNotThrow(() -> confinement.check(uri(dir.resolve("elsewhere/new/dir"))));
    }

    @Test
    void symbolicLinksAreResolvedEvenWhenTheirTargetDoesNotExistYet() throws IOException {
        Path service = Files.createDirectories(dir.resolve("service"));
        DestinationConfinement confinement = new DestinationConfinement(() -> List.of(service), List.of());
        Path link = Files.createSymbolicLink(dir.resolve("innocent"), service);
        ServiceException refused = assertThrows(ServiceException.class,
                () -> confinement.check(uri(link.resolve("backups"))));
        assertEquals("OB.Storage.URI.Protected", refused.code().errCode());
        assertTrue(refused.getMessage().contains("resolves to " + service.toRealPath().resolve("backups")),
                refused.getMessage());
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), service.resolve("created-later"));
        assertEquals("OB.Storage.URI.Protected", code(confinement, dangling));
        assertEquals("OB.Storage.URI.Protected", code(confinement, dangling.resolve("sub")));
    }

    @Test
    void withAllowedRootsOnlyDestinationsBelowThemAreAccepted() throws IOException {
        Path allowed = Files.createDirectories(dir.resolve("backups"));
        DestinationConfinement confinement = new DestinationConfinement(List::of, List.of(allowed));
        assertDoesNotThrow(() -> confinement.check(uri(allowed.resolve("t1/data"))));
        ServiceException outside = assertThrows(ServiceException.class,
                () -> confinement.check(uri(dir.resolve("backups-not"))));
        assertEquals("OB.Storage.URI.NotAllowed", outside.code().errCode());
        assertTrue(outside.getMessage().contains("TENANT_BACKUP_ALLOWED_ROOTS"), outside.getMessage());
        Path escape = Files.createSymbolicLink(allowed.resolve("escape"), dir);
        assertEquals("OB.Storage.URI.NotAllowed", code(confinement, escape.resolve("x")));
        assertThrows(IllegalArgumentException.class,
                () -> new DestinationConfinement(List::of, List.of(Path.of("relative/root"))));
    }

    private static String code(DestinationConfinement confinement, Path path) {
        return assertThrows(ServiceException.class, () -> confinement.check(uri(path))).code().errCode();
    }

    private static StorageUri uri(Path path) {
        String raw = "file://" + path;
        return new StorageUri(FileDriver.SCHEME, raw, raw, false);
    }
}
