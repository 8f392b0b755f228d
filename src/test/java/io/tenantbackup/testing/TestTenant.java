package io.tenantbackup.testing;

import io.tenantbackup.engine.mariadb.MariaDbLayout;
import io.tenantbackup.engine.mariadb.MariaDbServer;
import io.tenantbackup.tenant.TenantInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A real MariaDB instance in a short temp directory, with the agent account; stop() removes everything. */
public final class TestTenant implements AutoCloseable {

    private final TenantInstance instance;

    private TestTenant(TenantInstance instance) {
        this.instance = instance;
    }

    /** Installs and starts a tenant; {@code extraOptions} are mariadbd options such as innodb-log-file-size. */
    public static TestTenant start(long id, String name, Map<String, String> extraOptions) throws Exception {
        Path home = Files.createTempDirectory(Path.of("/tmp"), "tb-t");
        int port = freePort();
        TenantInstance tenant = new TenantInstance(id, name, port, new MariaDbLayout(home));
        MariaDbServer server = tenant.server();
        server.install(line -> { });
        Path initFile = home.resolve("init.sql");
        tenant.agent().writeInitFile(initFile, List.of());
        Map<String, String> options = new HashMap<>(extraOptions);
        options.put("init-file", initFile.toString());
        server.start(port, id, options, System.out::println);
        Files.delete(initFile);
        return new TestTenant(tenant);
    }

    public TenantInstance instance() {
        return instance;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGKILL of the server, as a crash would do. */
    public void kill() {
        instance.server().pid().flatMap(ProcessHandle::of).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().join();
        });
    }

    @Override
    public void close() throws Exception {
        instance.server().stop(line -> { });
        deleteTree(instance.layout().home());
        instance.server().user().remove(line -> { });
    }

    /** Copies a directory tree into {@code to}, which must not exist yet. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
