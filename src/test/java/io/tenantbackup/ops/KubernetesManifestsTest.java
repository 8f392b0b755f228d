package io.tenantbackup.ops;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The k8s/ manifests against the Kubernetes schemas bundled in the npm package kubernetes-models (offline: the
 * schemas are installed by scripts/install-deps.sh, nothing is downloaded here), plus what the service needs of
 * them (probes on the management port, which no Service exposes, the API port, Secret keys, data dir on a claim).
 * See k8s/validate/validate.mjs.
 */
class KubernetesManifestsTest {

    private static final Path VALIDATOR = Path.of("k8s/validate");

    @Test
    void manifestsMatchTheKubernetesSchemasAndTheServicesNeeds() throws Exception {
        boolean installed = Files.isDirectory(VALIDATOR.resolve("node_modules/kubernetes-models"));
        assertTrue(installed || !"true".equals(System.getenv("CI")),
                "k8s/validate/node_modules is missing in CI: scripts/install-deps.sh installs it");
        assumeTrue(installed, "SKIPPED: k8s manifests not validated: run bash scripts/install-deps.sh "
                + "(npm ci in k8s/validate) first");
        Process node = new ProcessBuilder("node", VALIDATOR.resolve("validate.mjs").toString(), "k8s")
                .redirectErrorStream(true).start();
        String report = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the validator did not finish within 60 s");
        assertEquals(0, node.exitValue(), report);
        assertTrue(report.contains("StatefulSet/tenant-backup"), report);
        assertTrue(report.contains("ok   check: probes use the management port 2888"), report);
        assertTrue(report.contains("ok   check: no Service exposes the management port"), report);
    }
}
