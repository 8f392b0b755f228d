package io.tenantbackup.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where a {@code file://} destination may lie. It must not be, contain or lie inside a protected directory (the
 * kernel's {@code /proc /sys /dev}, plus what the service installs: its data dir, the agent key dir, every tenant's
 * home), and, when backup roots are configured, it must lie inside one of them. Paths are compared as canonical real
 * paths; a path that does not exist yet is canonicalised through its nearest existing ancestor, so a symlink cannot
 * dodge the rule.
 *
 * <p>One policy is installed for the process (by the service at startup) because URIs are parsed in static code;
 * until then only the kernel's directories are protected.
 */
public final class DestinationConfinement {

    private static final List<Path> KERNEL = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
    private static final int MAX_LINK_HOPS = 40;
    private static volatile DestinationConfinement installed = new DestinationConfinement(List::of, List.of());

    private final Supplier<Collection<Path>> serviceDirectories;
    private final List<Path> allowedRoots;

    /**
     * @param serviceDirectories the service's own directories, asked at each check (tenants come and go)
     * @param allowedRoots       absolute backup roots; empty allows anywhere that is not protected
     */
    public DestinationConfinement(Supplier<Collection<Path>> serviceDirectories, List<Path> allowedRoots) {
        for (Path root : allowedRoots) {
            if (!root.isAbsolute()) {
                throw new IllegalArgumentException("Allowed backup root '" + root + "' is not an absolute path");
            }
        }
        this.serviceDirectories = serviceDirectories;
        this.allowedRoots = List.copyOf(allowedRoots);
    }

    public static void install(DestinationConfinement policy) {
        installed = policy;
    }

    public static DestinationConfinement installed() {
        return installed;
    }

    /** Refuses {@code uri} (400) when its directory is protected or outside the allowed roots. */
    public void check(StorageUri uri) {
        Path named = FileDriver.localPath(uri).toAbsolutePath().normalize();
        Path destination = canonical(named);
        List<Path> protectedDirectories = new ArrayList<>(KERNEL);
        protectedDirectories.addAll(serviceDirectories.get());
        for (Path directory : protectedDirectories) {
            Path guarded = canonical(directory);
            // the name as given counts too: /proc/self/cwd resolves elsewhere but is still a /proc path
            for (Path path : List.of(named, destination)) {
                if (path.startsWith(guarded) || guarded.startsWith(path)) {
                    throw StorageErrors.URI_PROTECTED.exception("Destination " + uri + " resolves to " + path
                            + ", which " + (path.startsWith(guarded) ? "lies inside" : "contains") + " " + guarded
                            + ", a directory of the service, of a tenant or of the kernel; choose a directory apart"
                            + " from them");
                }
            }
        }
        if (!allowedRoots.isEmpty()
                && allowedRoots.stream().map(DestinationConfinement::canonical).noneMatch(destination::startsWith)) {
            throw StorageErrors.URI_NOT_ALLOWED.exception("Destination " + uri + " resolves to " + destination
                    + ", which is outside the allowed backup roots " + allowedRoots
                    + " (TENANT_BACKUP_ALLOWED_ROOTS); choose a directory below one of them");
        }
    }

    /**
     * The real path of {@code path}, or of its nearest existing ancestor followed by the missing names; a dangling
     * symlink on the way is followed to where it points, since creating below it would create there.
     */
    static Path canonical(Path path) {
        Path pending = path.toAbsolutePath().normalize();
        try {
            for (int hops = 0; hops < MAX_LINK_HOPS; hops++) {
                Path existing = pending;
                while (existing.getParent() != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                    existing = existing.getParent();
                }
                Path missing = existing.relativize(pending);
                if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
                    pending = existing.getParent().toRealPath().resolve(Files.readSymbolicLink(existing)).normalize()
                            .resolve(missing);
                    continue;
                }
                return existing.toRealPath().resolve(missing);
            }
        } catch (IOException e) {
            throw StorageErrors.URI_INVALID.exception("Cannot resolve " + path + " to a real path (" + e + ")");
        }
        throw StorageErrors.URI_INVALID.exception("Cannot resolve " + path + ": more than " + MAX_LINK_HOPS
                + " symbolic links");
    }
}
