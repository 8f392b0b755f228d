package io.tenantbackup.engine.mariadb;

import com.sun.security.auth.module.UnixSystem;
import io.tenantbackup.engine.process.CommandResult;
import io.tenantbackup.engine.process.ExternalCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The OS account an instance's {@code mariadbd}, and the restore tools that write its files, run as. When the service
 * runs as root, every instance has its own system account (no login, no home), so that a tenant's SQL root reaches
 * neither the host, nor the service's agent key and option files, nor another tenant's files (e.g. through
 * {@code SET GLOBAL general_log_file}). The name is derived from the instance's home directory: tenant names may be
 * longer than the 32 characters Linux allows, and two services on one host may each have a tenant of the same name.
 * A service that is not root (a Kubernetes pod with uid 185) cannot switch users; its instances run as its own user
 * and are confined by {@code --secure-file-priv} and {@code --skip-symbolic-links} only.
 */
public final class InstanceUser {

    private static final boolean SERVICE_IS_ROOT = new UnixSystem().getUid() == 0;
    private static final Duration ACCOUNT_TIMEOUT = Duration.ofMinutes(1);
    /** useradd: the name is taken (a concurrent start created it); userdel: no such user. */
    private static final int USERADD_EXISTS = 9;
    private static final int USERDEL_UNKNOWN = 6;

    private final Optional<String> name;
    private final Path home;

    private InstanceUser(Optional<String> name, Path home) {
        this.name = name;
        this.home = home;
    }

    static InstanceUser of(MariaDbLayout layout) {
        Path home = layout.home().toAbsolutePath();
        return new InstanceUser(SERVICE_IS_ROOT ? Optional.of(nameFor(home)) : Optional.empty(), home);
    }

    /** Whether instances get their own OS users: only a service running as root can create and switch to them. */
    public static boolean perInstanceUsers() {
        return SERVICE_IS_ROOT;
    }

    /** {@code tb-} and 12 hex digits of the SHA-256 of the home directory's absolute path. */
    static String nameFor(Path home) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(home.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            return "tb-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

    /** The account's name; empty when the instance runs as the service's own user. */
    public Optional<String> name() {
        return name;
    }

    /** Creates the system account if it does not exist yet. */
    public void ensureExists(Consumer<String> log) throws IOException, InterruptedException {
        if (name.isEmpty() || exists(name.get())) {
            return;
        }
        CommandResult result = ExternalCommand.of("useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        "--comment", "tenant-backup instance " + home, name.get())
                .timeout(ACCOUNT_TIMEOUT).run();
        if (result.succeeded()) {
            log.accept("Created OS user " + name.get() + " for the instance in " + home);
        } else if (result.exitCode() != USERADD_EXISTS) {
            throw new IOException("Cannot create the OS user " + name.get() + " for the instance in " + home
                    + ": useradd exited with " + result.exitCode() + ": " + result.lastLine());
        }
    }

    /** Removes the account (after its files); a missing account is fine. */
    public void remove(Consumer<String> log) throws IOException, InterruptedException {
        if (name.isEmpty() || !exists(name.get())) {
            return;
        }
        CommandResult result = ExternalCommand.of("userdel", name.get()).timeout(ACCOUNT_TIMEOUT).run();
        if (!result.succeeded() && result.exitCode() != USERDEL_UNKNOWN) {
            throw new IOException("Cannot remove the OS user " + name.get() + ": userdel exited with "
                    + result.exitCode() + ": " + result.lastLine());
        }
        log.accept("Removed OS user " + name.get());
    }

    /** Gives {@code path} (not what it contains) to the account and its group; symbolic links are not followed. */
    public void own(Path path) throws IOException {
        if (name.isEmpty()) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        view.setOwner(lookup.lookupPrincipalByName(name.get()));
        view.setGroup(group(lookup));
    }

    /** Writes a new file for the account to read: 0600 from its creation on, then the account's. */
    void writeOwnFile(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardOpenOption.WRITE);
        own(file);
    }

    /** Gives only the group of {@code path} to the account (the owner stays the service). */
    void shareGroup(Path path) throws IOException {
        if (name.isPresent()) {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setGroup(group(path.getFileSystem().getUserPrincipalLookupService()));
        }
    }

    /** Creates a directory (and missing parents, as the service's) that only the account may use: 0700, its own. */
    public void createPrivateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        own(directory);
        Files.setAttribute(directory, "unix:mode", 0700);
    }

    /** Gives a whole tree to the account unless its top already belongs to it (a restored or older datadir). */
    void ownTree(Path root, Consumer<String> log) throws IOException, InterruptedException {
        if (name.isEmpty() || ownedByAccount(root)) {
            return;
        }
        log.accept("Giving " + root + " to OS user " + name.get());
        CommandResult result = ExternalCommand.of("chown", "-R", "--no-dereference",
                name.get() + ":" + name.get(), root.toString()).timeout(Duration.ofHours(1)).outputLines(log).run();
        if (!result.succeeded()) {
            throw new IOException("Cannot give " + root + " to OS user " + name.get() + ": " + result.lastLine());
        }
    }

    /** The command run as the account ({@code setpriv}, no supplementary groups); unchanged when not separate. */
    public List<String> runAs(List<String> command) {
        if (name.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + name.get(), "--regid=" + name.get(),
                "--clear-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private boolean ownedByAccount(Path path) throws IOException {
        return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName().equals(name.orElseThrow());
    }

    private GroupPrincipal group(UserPrincipalLookupService lookup) throws IOException {
        return lookup.lookupPrincipalByGroupName(name.orElseThrow());
    }

    private static boolean exists(String user) throws IOException {
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        }
    }
}
