package io.tenantbackup.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenantbackup.auth.SdkClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SDK expectation files and their checker without a service: requests come out byte for byte as each SDK writes
 * them, and a renamed, retyped or nulled member an SDK reads is reported.
 */
class SdkExpectationsTest {

    private static final SdkExpectations PYTHON = SdkExpectations.load("/sdk-contracts/obshell-sdk-python@88ae912.json");
    private static final SdkExpectations GO = SdkExpectations.load("/sdk-contracts/obshell-sdk-go@3bf700d.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> VALUES = Map.of("tenant", "t1", "encryption", "päss", "dag_id", "11",
            "data_uri", "file:///b/data", "archive_uri", "file:///b/archive", "restored", "t2",
            "timestamp", "2026-05-11T02:35:17.5Z");

    @Test
    void requestsAreWrittenAsEachSdkWritesThem() {
        SdkExpectations.Request python = PYTHON.request("start_backup", VALUES);
        assertEquals("{\"mode\": \"full\", \"encryption\": \"p\\u00e4ss\"}",
                SdkClient.json(SdkClient.Style.PYTHON, python.body()));
        SdkExpectations.Request go = GO.request("start_backup", VALUES);
        assertEquals("{\"mode\":\"full\",\"plus_archive\":null,\"encryption\":\"päss\"}",
                SdkClient.json(SdkClient.Style.GO, go.body()));
        assertEquals("/api/v1/tenant/t1/backup", go.target());
        assertEquals("/api/v1/task/dag/11?show_details=True", PYTHON.request("get_dag", VALUES).target());
        assertEquals("/api/v1/task/dag/11", GO.request("get_dag", VALUES).target());
        assertEquals(null, GO.request("backup_overview", VALUES).body());
    }

    @Test
    void aMemberTheSdkReadsThatIsMissingRetypedOrNullIsReported() throws Exception {
        assertEquals(List.of(), goDagMismatches(dag -> { }));
        assertEquals(List.of("$.state: missing (DagDetailDTO reads it)"), goDagMismatches(dag -> dag.remove("state")));
        assertEquals(List.of("$.dag_id: expected int, got \"7\""), goDagMismatches(dag -> dag.put("dag_id", "7")));
        assertEquals(List.of("$.start_time: expected time, got \"2026-05-08T17:06:47\""),
                goDagMismatches(dag -> dag.put("start_time", "2026-05-08T17:06:47")));
        assertEquals(List.of("$.operator: null, but DagDetailDTO needs a value"),
                goDagMismatches(dag -> dag.putNull("operator")));
        assertEquals(List.of("$.state: \"DONE\" is none of the values the SDK knows [PENDING, READY, RUNNING, FAILED, SUCCEED]"),
                goDagMismatches(dag -> dag.put("state", "DONE")));
        assertEquals(List.of(), goDagMismatches(dag -> dag.putNull("nodes")), "Go's Nodes is a slice");
    }

    @Test
    void pythonNeedsWhatItIndexesAndIterates() throws Exception {
        JsonNode overview = JSON.readTree("{\"status\": {}}");
        List<String> mismatches = new ArrayList<>();
        PYTHON.models().check("$", "CdbObBackupResponse", overview, mismatches);
        assertEquals(List.of(), mismatches, "an object is enough: Python keeps it raw");
        mismatches.clear();
        PYTHON.models().check("$", "TenantInfo", JSON.readTree("{\"tenant_name\": \"t1\"}"), mismatches);
        assertEquals(10, mismatches.size(), mismatches::toString);
        mismatches.clear();
        PYTHON.models().check("$", "RestoreWindows", JSON.readTree("{\"restore_windows\": null}"), mismatches);
        assertEquals(List.of("$.restore_windows: null, but RestoreWindows needs a value"), mismatches);
    }

    private static List<String> goDagMismatches(Consumer<ObjectNode> change) throws Exception {
        ObjectNode dag = (ObjectNode) JSON.readTree("{\"id\": \"11\", \"dag_id\": 1, \"name\": \"Create tenant t1\","
                + " \"stage\": 1, \"max_stage\": 2, \"state\": \"RUNNING\", \"operator\": \"RUN\","
                + " \"start_time\": \"2026-05-08T17:06:47.123+08:00\", \"end_time\": \"0001-01-01T00:00:00Z\"}");
        change.accept(dag);
        List<String> mismatches = new ArrayList<>();
        GO.models().check("$", "DagDetailDTO", dag, mismatches);
        return mismatches;
    }
}
