package io.tenantbackup.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as a person's browser: it runs the page's JavaScript (for a bounded virtual time)
 * and gives back the rendered DOM or a screenshot. Each run gets a fresh profile and no background networking,
 * since this machine has no network beyond loopback.
 */
public final class HeadlessChromium {

    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final int VIRTUAL_TIME_MS = 15_000;

    private final Path profiles;

    private HeadlessChromium(Path profiles) {
        this.profiles = profiles;
    }

    /** Chromium if it is installed; in CI (CI=true) its absence is a failure, not a reason to skip. */
    public static Optional<HeadlessChromium> installed(Path profiles) {
        if (Files.isExecutable(BINARY)) {
            return Optional.of(new HeadlessChromium(profiles));
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(BINARY + " is missing in CI: scripts/install-deps.sh installs Debian's chromium");
        }
        return Optional.empty();
    }

    /** The DOM after the page's scripts ran. */
    public String renderedDom(String url) throws IOException, InterruptedException {
        Path out = Files.createTempFile("chromium-dom", ".html");
        try {
            run(out, List.of("--dump-dom", url));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** A PNG of the page in a window {@code width} x {@code height}; make it taller than the page to get it all. */
    public void screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(null, List.of("--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("Chromium wrote no screenshot of " + url + " to " + png);
        }
    }

    private void run(Path stdout, List<String> arguments) throws IOException, InterruptedException {
        Files.createDirectories(profiles);
        Path profile = Files.createTempDirectory(profiles, "profile");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--virtual-time-budget=" + VIRTUAL_TIME_MS));
        command.addAll(arguments);
        Path log = profiles.resolve(profile.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.redirectOutput(stdout == null ? ProcessBuilder.Redirect.appendTo(log.toFile())
                : ProcessBuilder.Redirect.to(stdout.toFile()));
        Process chromium = builder.start();
        try {
            if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException("Chromium did not finish within 60 s; see " + log);
            }
            if (chromium.exitValue() != 0) {
                throw new IOException("Chromium exited with " + chromium.exitValue() + "; see " + log);
            }
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            TestTenant.deleteTree(profile);
        }
    }
}
