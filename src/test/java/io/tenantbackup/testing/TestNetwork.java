package io.tenantbackup.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Another host for tests that need a client which is not on loopback: a network namespace of this test run, joined
 * to this machine by a veth pair on a link-local /30. Test traffic stays on loopback and on this pair; no test ever
 * targets the machine's real interface addresses. Needs iproute2 and root (CAP_NET_ADMIN).
 */
public final class TestNetwork implements AutoCloseable {

    /** curl's exit code when the connection was refused ("Couldn't connect to server"). */
    public static final int CONNECTION_REFUSED = 7;

    private static final Path IP = Path.of("/usr/sbin/ip");
    private static final int COMMAND_TIMEOUT_S = 20;
    /** 169.254.64.0/18: link-local, clear of 169.254.0.x, 169.254.255.x (reserved) and 169.254.169.254 (metadata). */
    private static final int FIRST_SUBNET = (169 << 24) | (254 << 16) | (64 << 8);
    private static final int SUBNETS = 4096;

    private final String namespace;
    private final String hostVeth;
    private final String hostAddress;

    private TestNetwork(String namespace, String hostVeth, String hostAddress) {
        this.namespace = namespace;
        this.hostVeth = hostVeth;
        this.hostAddress = hostAddress;
    }

    /**
     * A fresh namespace named after this JVM's pid, a stale one of the same name deleted first. Empty if iproute2 or
     * the right to create namespaces is missing; in CI (CI=true) that is a failure, not a reason to skip.
     */
    public static Optional<TestNetwork> create() throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        String namespace = "tenant-backup-test-" + pid;
        String hostVeth = "tbh" + pid;
        String namespaceVeth = "tbn" + pid;
        if (!Files.isExecutable(IP)) {
            return unavailable(IP + " is missing: scripts/install-deps.sh --for-tests installs iproute2");
        }
        run(IP.toString(), "netns", "delete", namespace);
        run(IP.toString(), "link", "delete", hostVeth);
        Result added = run(IP.toString(), "netns", "add", namespace);
        if (added.exitCode() != 0) {
            return unavailable("cannot create a network namespace (root needed): " + added.stderr());
        }
        int subnet = freeSubnet(pid);
        TestNetwork network = new TestNetwork(namespace, hostVeth, address(subnet + 1));
        try {
            network.ip("link", "add", hostVeth, "type", "veth", "peer", "name", namespaceVeth, "netns", namespace);
            network.ip("addr", "add", network.hostAddress + "/30", "dev", hostVeth);
            network.ip("link", "set", hostVeth, "up");
            network.ip("-n", namespace, "addr", "add", address(subnet + 2) + "/30", "dev", namespaceVeth);
            network.ip("-n", namespace, "link", "set", namespaceVeth, "up");
            network.ip("-n", namespace, "link", "set", "lo", "up");
            return Optional.of(network);
        } catch (IOException | RuntimeException | InterruptedException e) {
            network.close();
            throw e;
        }
    }

    /** This machine's end of the veth pair, as the namespace reaches it. */
    public String hostAddress() {
        return hostAddress;
    }

    /** {@code curl} run inside the namespace: one request, no proxy, bounded in time. */
    public Result curl(String url, String... options) throws IOException, InterruptedException {
        Path body = Files.createTempFile("netns-curl", ".body");
        try {
            List<String> command = new ArrayList<>(List.of(IP.toString(), "netns", "exec", namespace, "curl", "-q",
                    "-sS", "--noproxy", "*", "--connect-timeout", "5", "--max-time", "10", "-o", body.toString(),
                    "-w", "%{http_code}"));
            command.addAll(List.of(options));
            command.add(url);
            Result curl = run(command.toArray(String[]::new));
            return new Result(curl.exitCode(), curl.stdout(), Files.readString(body, StandardCharsets.UTF_8),
                    curl.stderr());
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /**
     * Proves that the namespace reaches this machine's end of the pair: a throwaway server on that address must
     * answer. A later refusal on that address is then the service's doing, not a broken setup.
     */
    public void assertHostReachable() throws IOException, InterruptedException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(hostAddress), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            Result probe = curl("http://" + hostAddress + ":" + server.getAddress().getPort() + "/");
            if (probe.exitCode() != 0 || probe.status() != 204) {
                throw new AssertionError("the namespace " + namespace + " does not reach " + hostAddress + ": " + probe);
            }
        } finally {
            server.stop(0);
        }
    }

    /** Deleting the namespace deletes the veth pair with it; the host end is deleted too in case it outlived it. */
    @Override
    public void close() throws IOException, InterruptedException {
        run(IP.toString(), "netns", "delete", namespace);
        run(IP.toString(), "link", "delete", hostVeth);
    }

    /** What a command (curl: its {@code -w} output, the HTTP status) answered. */
    public record Result(int exitCode, String stdout, String body, String stderr) {

        /** The HTTP status curl wrote, 0 when there was no answer. */
        public int status() {
            return stdout.isBlank() ? 0 : Integer.parseInt(stdout.strip());
        }
    }

    private static Optional<TestNetwork> unavailable(String reason) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("No test network namespace in CI: " + reason);
        }
        System.err.println("No test network namespace: " + reason);
        return Optional.empty();
    }

    /** The pid's /30, or the next one no address of this machine (another run's pair) is in yet. */
    private static int freeSubnet(long pid) throws IOException, InterruptedException {
        Set<String> taken = run(IP.toString(), "-o", "-4", "addr", "show").stdout().lines()
                .map(line -> line.replaceFirst(".* inet ([0-9.]+)/.*", "$1")).collect(Collectors.toSet());
        for (int i = 0; i < SUBNETS; i++) {
            int subnet = FIRST_SUBNET + (int) ((pid + i) % SUBNETS) * 4;
            if (!taken.contains(address(subnet + 1)) && !taken.contains(address(subnet + 2))) {
                return subnet;
            }
        }
        throw new IOException("no free /30 left in 169.254.64.0/18");
    }

    private static String address(int value) {
        return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }

    private void ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(IP.toString()));
        command.addAll(List.of(arguments));
        Result result = run(command.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + result.stderr());
        }
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("netns", ".out");
        Path err = Files.createTempFile("netns", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT_S + " s");
            }
            return new Result(process.exitValue(), Files.readString(out), "", Files.readString(err).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
