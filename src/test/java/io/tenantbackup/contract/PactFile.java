package io.tenantbackup.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.tenantbackup.api.TenantApiClient.awaitUnfinishedDags;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Pact v3 file from the test resources: the consumer's interactions, looked up by description and verified. */
final class PactFile {

    private final String resource;
    private final List<JsonNode> interactions = new ArrayList<>();

    private PactFile(String resource, JsonNode pact) {
        this.resource = resource;
        pact.get("interactions").forEach(interactions::add);
    }

    static PactFile load(String resource) {
        try (InputStream in = PactFile.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Pact file " + resource + " is not on the test class path");
            }
            return new PactFile(resource, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Pact file " + resource + " cannot be read", e);
        }
    }

    List<String> descriptions() {
        return interactions.stream().map(interaction -> interaction.get("description").asText()).toList();
    }

    JsonNode interaction(String description) {
        return interactions.stream().filter(interaction -> interaction.get("description").asText().equals(description))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No interaction '" + description + "' in " + resource));
    }

    /** Sets up one provider state of an interaction; returns the values its generators use. */
    @FunctionalInterface
    interface ProviderStates {
        Map<String, String> setUp(JsonNode state) throws Exception;
    }

    /**
     * Replays the interaction after setting up its provider states and fails on any mismatch; a pending one is
     * aborted with its reason. Then waits for the DAGs the interaction started, so the next one starts clean.
     */
    void verify(String description, ProviderStates states) throws Exception {
        JsonNode interaction = interaction(description);
        pendingReason(interaction).ifPresent(Assumptions::abort);
        Map<String, String> values = new HashMap<>();
        for (JsonNode state : interaction.path("providerStates")) {
            values.putAll(states.setUp(state));
        }
        List<String> mismatches = PactVerifier.verify(interaction, values);
        assertTrue(mismatches.isEmpty(), () -> description + ":\n  " + String.join("\n  ", mismatches));
        awaitUnfinishedDags();
    }

    /** Why a pending interaction is not verified yet, if it is pending. */
    static Optional<String> pendingReason(JsonNode interaction) {
        if (!interaction.path("pending").asBoolean(false)) {
            return Optional.empty();
        }
        return Optional.of("PENDING: " + interaction.path("comments").path("text").path(0).asText("no reason given"));
    }
}
