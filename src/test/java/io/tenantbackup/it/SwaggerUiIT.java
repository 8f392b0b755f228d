package io.tenantbackup.it;

import io.tenantbackup.testing.HeadlessChromium;
import io.tenantbackup.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Swagger UI of the packaged service in prod mode, in a real (headless) browser: the seed operation and its body
 * fields are rendered from the static contract. The rendered DOM and a screenshot stay under target/swagger-ui/.
 */
class SwaggerUiIT {

    private static final Path EVIDENCE = Path.of("target/swagger-ui");
    private static final String OPERATION = "operations-Backup-startTenantBackup";

    @Test
    void swaggerUiRendersTheSeedOperationAndItsBodyFields() throws Exception {
        Optional<HeadlessChromium> chromium = HeadlessChromium.installed(Path.of("target/chromium"));
        assumeTrue(chromium.isPresent(), "SKIPPED: /usr/bin/chromium is not installed "
                + "(bash scripts/install-deps.sh installs Debian's chromium); Swagger UI was not checked in a browser");
        Path dataDir = Path.of("/tmp/tb-itui");
        TestTenant.deleteTree(dataDir);
        ServiceProcess.recreateDatabase("tenant_backup_it_ui");
        Files.createDirectories(EVIDENCE);
        try (ServiceProcess service = new ServiceProcess(dataDir, TestTenant.freePort(),
                "jdbc:mysql://127.0.0.1:3306/tenant_backup_it_ui", EVIDENCE.resolve("service.log"))) {
            service.start();
            // the deep link opens the operation, so its request body is rendered
            String url = service.baseUri() + "/q/swagger-ui/#/Backup/startTenantBackup";
            String dom = chromium.get().renderedDom(url);
            Files.writeString(EVIDENCE.resolve("dom.html"), dom);
            // taller than the page, so that Chromium captures all of it without scrolling
            chromium.get().screenshot(url, EVIDENCE.resolve("swagger-ui.png"), 1280, 10_000);

            String operation = operationBlock(dom);
            assertTrue(operation.contains("is-open"), "the deep-linked operation is expanded");
            assertTrue(operation.contains("data-path=\"/api/v1/tenant/{name}/backup\""), operation);
            String text = operation.replaceAll("<[^>]+>", "");
            assertTrue(text.contains("POST"), text);
            assertTrue(text.contains("Request body"), text);
            for (String field : List.of("\"mode\"", "\"plus_archive\"", "\"encryption\"")) {
                assertTrue(text.contains(field), () -> "body field " + field + " not rendered: " + text);
            }
            // only the static contract has this wording: Swagger UI does not show a generated document
            assertTrue(text.contains("Starts a physical backup"), text);
        }
    }

    private static String operationBlock(String dom) {
        int id = dom.indexOf("id=\"" + OPERATION + "\"");
        assertTrue(id >= 0, "operation " + OPERATION + " not rendered; DOM in " + EVIDENCE.resolve("dom.html"));
        int start = dom.lastIndexOf("<div", id);
        int next = dom.indexOf("id=\"operations-", id + 1);
        return dom.substring(start, next < 0 ? dom.length() : next);
    }
}
