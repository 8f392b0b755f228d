package io.tenantbackup.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fault injector: a small HTTP forward proxy on loopback in front of the test S3 server. It forwards every request
 * to 127.0.0.1 on the port the request names (so {@code bucket.localhost} works without DNS, which is what
 * virtual-host addressing against a local server needs), records the Host headers it saw, and answers
 * {@code 503 SlowDown} instead of forwarding for the first {@code n} requests that match a rule. One request per
 * connection ({@code Connection: close}), bodies by Content-Length, as the SDK's URL connection client sends them.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    /** A request as the proxy saw it: method, target (path and query) and Host header. */
    public record Request(String method, String target, String host) {
    }

    private final ServerSocket server;
    private final List<Request> seen = new CopyOnWriteArrayList<>();
    private volatile Predicate<Request> faultRule = request -> false;
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private final AtomicInteger faultsInjected = new AtomicInteger();

    private FaultInjectingProxy(ServerSocket server) {
        this.server = server;
    }

    public static FaultInjectingProxy start() throws IOException {
        FaultInjectingProxy proxy = new FaultInjectingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(proxy::acceptLoop, "fault-injecting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** The proxy's URL, for {@code tenant-backup.storage.http-proxy}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Answers 503 SlowDown to the next {@code times} requests matching {@code rule}. */
    public void failNext(int times, Predicate<Request> rule) {
        faultRule = rule;
        faultsLeft.set(times);
    }

    public int faultsInjected() {
        return faultsInjected.get();
    }

    public List<Request> requests() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread handler = new Thread(() -> handle(client), "fault-injecting-proxy-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
            String[] requestLine = lines.remove(0).split(" ");
            URI target = URI.create(requestLine[1]);
            String host = header(lines, "host");
            int port = target.getPort() > 0 ? target.getPort() : URI.create("http://" + host).getPort();
            String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
            String pathAndQuery = path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            if (header(lines, "expect").equalsIgnoreCase("100-continue")) {
                client.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
            }
            byte[] body = in.readNBytes(Integer.parseInt(headerOr(lines, "content-length", "0")));
            Request request = new Request(requestLine[0], pathAndQuery, host);
            seen.add(request);
            if (faultRule.test(request) && faultsLeft.getAndDecrement() > 0) {
                faultsInjected.incrementAndGet();
                answer503(client.getOutputStream());
                return;
            }
            forward(client.getOutputStream(), port, requestLine[0] + " " + pathAndQuery + " " + requestLine[2],
                    lines, body);
        } catch (IOException | RuntimeException e) {
            // the client sees the connection drop, as it would with a real proxy failing
        }
    }

    private static void forward(OutputStream toClient, int port, String requestLine, List<String> headers, byte[] body)
            throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = upstream.getOutputStream();
            StringBuilder head = new StringBuilder(requestLine).append("\r\n");
            for (String line : headers) {
                String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
                if (!name.equals("connection") && !name.equals("proxy-connection") && !name.equals("expect")) {
                    head.append(line).append("\r\n");
                }
            }
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            upstream.getInputStream().transferTo(toClient);
            toClient.flush();
        }
    }

    private static void answer503(OutputStream out) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                + "<Message>fault injector: 503 once</Message></Error>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    private static String header(List<String> lines, String name) {
        return headerOr(lines, name, "");
    }

    private static String headerOr(List<String> lines, String name, String otherwise) {
        return lines.stream().filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse(otherwise);
    }
}
