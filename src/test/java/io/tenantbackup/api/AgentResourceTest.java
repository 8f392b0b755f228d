package io.tenantbackup.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

@QuarkusTest
class AgentResourceTest {

    @Test
    void infoSaysClusterAgentWithAuthV2() {
        api().get("/api/v1/info").then()
                .statusCode(200)
                .body("successful", equalTo(true))
                .body("status", equalTo(200))
                .body("traceId", matchesPattern("[0-9a-f]{16}"))
                .body("data.identity", equalTo("CLUSTER AGENT"))
                .body("data.supportedAuth", contains("v2"))
                .body("data.security", equalTo(false))
                .body("data.version", matchesPattern("\\d+\\.\\d+\\.\\d+\\.\\d+-\\d+"))
                .body("data.obVersion", matchesPattern("10\\.\\d+\\.\\d+"));
    }

    @Test
    void traceIdHeaderIsEchoed() {
        api().header("X-OBSHELL-Trace-ID", "abc123").get("/api/v1/status").then()
                .statusCode(200)
                .body("traceId", equalTo("abc123"))
                .body("data.agent.identity", equalTo("CLUSTER AGENT"));
    }

    @Test
    void theAgentListingShowsThisAgentAliveUnderItsInfoIdentity() {
        int port = api().get("/api/v1/info").then().extract().path("data.port");
        String ip = api().get("/api/v1/info").then().extract().path("data.ip");
        api().get("/api/v1/agents").then()
                .statusCode(200)
                .body("data.contents.find { it.ip == '" + ip + "' && it.port == " + port + " }.alive", equalTo(true))
                .body("data.contents.find { it.ip == '" + ip + "' && it.port == " + port + " }.identity",
                        equalTo("CLUSTER AGENT"))
                .body("data.contents.find { it.ip == '" + ip + "' && it.port == " + port + " }.pid",
                        equalTo((int) ProcessHandle.current().pid()));
    }

    @Test
    void unknownRouteIsObshellNotFound() {
        badRequest().get("/api/v1/no/such/route").then()
                .statusCode(404)
                .body("successful", equalTo(false))
                .body("error.errCode", equalTo("Common.NotFound"));
    }
}
