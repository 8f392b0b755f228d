package io.tenantbackup.task;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.tenantbackup.api.Contract.api;
import static io.tenantbackup.api.Contract.badRequest;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The task endpoints as the SDKs use them: get_dag (with and without details), operate_dag, sub-task logs. */
@QuarkusTest
class TaskApiTest {

    @Inject
    TaskEngine engine;

    @Inject
    TaskQueries queries;

    @Test
    void dagWithDetailsShowsNodesSubTasksAndLogs() {
        DagEntity dag = engine.submit(DagTemplate.named("Three steps")
                .node("One", TestTasks.First.class)
                .node("Two", TestTasks.Second.class)
                .build(), Map.of());
        Dags.awaitFinished(queries, dag.id);

        ValidatableResponse detailed = api().get("/api/v1/task/dag/" + dag.genericId() + "?show_details=True").then()
                .statusCode(200)
                .body("data.id", equalTo("1" + dag.id))
                .body("data.state", equalTo("SUCCEED"))
                .body("data.operator", equalTo("RUN"))
                .body("data.stage", equalTo(2))
                .body("data.max_stage", equalTo(2))
                .body("data.nodes.name", contains("One", "Two"))
                .body("data.nodes[1].sub_tasks[0].task_logs", contains("Second done"))
                .body("data.nodes[1].sub_tasks[0].execute_agent.port", equalTo(api().get("/api/v1/info")
                        .then().extract().path("data.port")))
                .body("data.additional_data.First", equalTo("done"));
        String subTaskId = detailed.extract().path("data.nodes[0].sub_tasks[0].id");

        api().get("/api/v1/task/dag/" + dag.genericId() + "?show_details=false").then()
                .statusCode(200)
                .body("data", not(hasKey("nodes")));
        api().get("/api/v1/task/sub_task/" + subTaskId + "/logs").then()
                .statusCode(200)
                .body("data.contents.log_content", contains("First done"));
    }

    @Test
    void failedSubTaskCarriesTheReasonAndRetryRecovers() {
        DagEntity dag = engine.submit(DagTemplate.named("Flaky once")
                .node("Flaky", TestTasks.Flaky.class)
                .build(), Map.of("fail_until", "1"));
        Dags.awaitFinished(queries, dag.id);

        api().get("/api/v1/task/dag/" + dag.genericId()).then()
                .statusCode(200)
                .body("data.state", equalTo("FAILED"))
                .body("data.nodes[0].sub_tasks[0].task_logs", hasItem(startsWith("ERROR: ")));

        api().body("{\"operator\":\"retry\"}").post("/api/v1/task/dag/" + dag.genericId()).then()
                .statusCode(200)
                .body("successful", equalTo(true));
        Dags.awaitFinished(queries, dag.id);
        api().get("/api/v1/task/dag/" + dag.genericId()).then()
                .body("data.state", equalTo("SUCCEED"))
                .body("data.nodes[0].sub_tasks[0].execute_times", equalTo(2));
    }

    @Test
    void badIdsAndOperatorsAnswerObshellCodes() {
        badRequest().get("/api/v1/task/dag/abc").then()
                .statusCode(400).body("error.errCode", equalTo("Task.GenericID.Invalid"));
        badRequest().get("/api/v1/task/dag/1999999999").then()
                .statusCode(404).body("error.errCode", equalTo("Task.NotFound"));
        badRequest().get("/api/v1/task/dag/11?show_details=maybe").then()
                .statusCode(400).body("error.errCode", equalTo("Common.IllegalArgument"));

        DagEntity dag = engine.submit(DagTemplate.named("Done").node("One", TestTasks.First.class).build(), Map.of());
        Dags.awaitFinished(queries, dag.id);
        badRequest().body("{\"operator\":\"jump\"}").post("/api/v1/task/dag/" + dag.genericId()).then()
                .statusCode(400).body("error.errCode", equalTo("Task.Dag.Operator.NotSupport"));
        badRequest().body("{\"operator\":\"CANCEL\"}").post("/api/v1/task/dag/" + dag.genericId()).then()
                .statusCode(400).body("error.errCode", equalTo("Task.Dag.Operator.CancelFinishedDag"));
        badRequest().body("{not json").post("/api/v1/task/dag/" + dag.genericId()).then()
                .statusCode(400).body("error.errCode", equalTo("Common.BindJsonFailed"));
    }

    @Test
    void unfinishedListsRunningDags() {
        DagEntity dag = engine.submit(DagTemplate.named("Waits")
                .node("Wait", TestTasks.WaitsForCancel.class).build(), Map.of());
        Dags.await(queries, dag.id, d -> d.dag().state == TaskState.RUNNING);
        api().get("/api/v1/task/dag/unfinish").then()
                .statusCode(200)
                .body("data.contents.id", hasItem(dag.genericId()));
        api().body("{\"operator\":\"CANCEL\"}").post("/api/v1/task/dag/" + dag.genericId()).then().statusCode(200);
        Dags.awaitFinished(queries, dag.id);
        api().get("/api/v1/task/dag/" + dag.genericId()).then()
                .body("data.state", equalTo("FAILED"))
                .body("data.operator", equalTo("CANCEL"));
    }
}
