package io.tenantbackup.backup;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.ServiceConfig;
import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.task.DagEntity;
import io.tenantbackup.task.DagRecovery;
import io.tenantbackup.task.GenericId;
import io.tenantbackup.task.NodeEntity;
import io.tenantbackup.task.SubTaskEntity;
import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskOperator;
import io.tenantbackup.task.TaskState;
import io.tenantbackup.testing.TestTenant;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import static io.tenantbackup.api.Contract.api;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service is upgraded while a backup DAG waits between "Start backup" and "Wait backup Finish": the earlier
 * version handed the streamed files on as string DAG parameters, which this version does not read. The DAG resumes
 * and fails at once saying so, and its set ends FAILED with that reason, so the tenant is free for the next backup.
 */
@QuarkusTest
class BackupDagFromEarlierVersionTest {

    private static final String TENANT = "t_earlier";

    @Inject
    DagRecovery recovery;

    @Inject
    LocalAgent local;

    @Inject
    ServiceConfig config;

    @Test
    void aDagStreamedByTheEarlierVersionFailsInWaitBackupFinishSayingWhatToDo() throws Exception {
        Path destination = config.dataDir().resolveSibling(config.dataDir().getFileName() + "-earlier");
        TestTenant.deleteTree(destination);
        Files.createDirectories(destination);
        long setId = QuarkusTransaction.requiringNew().call(() -> {
            BackupSet set = new BackupSet();
            set.tenantId = 990_001L;
            set.tenantName = TENANT;
            set.backupType = BackupSet.Type.FULL;
            set.status = BackupSet.Status.DOING;
            set.path = "file://" + destination;
            set.startTime = OffsetDateTime.now();
            set.encryptionMode = "NONE";
            set.persistAndFlush();
            set.path = "file://" + destination.resolve(set.directory());
            return set.id;
        });
        long dagId = QuarkusTransaction.requiringNew().call(() -> strandedInWaitBackupFinish(setId, destination));

        recovery.recoverInterruptedDags();

        JsonPath dag = awaitFinished(GenericId.encode(dagId));
        assertEquals("FAILED", dag.getString("state"), dag::prettify);
        List<String> lines = dag.getList("nodes[3].sub_tasks[0].task_logs");
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("started by an earlier version of the service") && last.contains("start the backup again"),
                last);
        BackupSet set = QuarkusTransaction.requiringNew().call(() -> BackupSet.<BackupSet>findById(setId));
        assertEquals(BackupSet.Status.FAILED, set.status);
        assertTrue(set.comment.contains("earlier version"), set.comment);
        assertFalse(Files.exists(destination.resolve(set.directory()).resolve("manifest.json")));
        TestTenant.deleteTree(destination);
    }

    /** The rows the earlier version left: stages 1-3 done, "Wait backup Finish" running, results among the params. */
    private DagEntity strandedDag(long setId, Path destination) {
        DagEntity dag = new DagEntity();
        dag.name = "Obcluster start full backup for " + TENANT;
        dag.stage = 4;
        dag.maxStage = 4;
        dag.state = TaskState.RUNNING;
        dag.operator = TaskOperator.RUN;
        dag.maintenanceType = DagEntity.MAINTENANCE_NONE;
        dag.maintenanceKey = "";
        dag.params = "{\"tenant_id\":\"990001\",\"tenant_name\":\"" + TENANT + "\",\"tenant_port\":\"1\","
                + "\"tenant_home\":\"/nonexistent\",\"backup_set_id\":\"" + setId + "\","
                + "\"data_base_uri\":\"file://" + destination + "\",\"backup_set_dir\":\"backup_set_" + setId + "_full\","
                + "\"plus_archive\":\"false\",\"encryption_mode\":\"NONE\",\"compression\":\"zstd\","
                + "\"encryption\":\"{\\\"algorithm\\\":\\\"none\\\",\\\"segment_size\\\":0}\","
                + "\"chain_root_backup_set_id\":\"" + setId + "\",\"mariabackup_version\":\"mariabackup 10.11\","
                + "\"backup_started_at\":\"2026-11-30T10:00:00Z\",\"backup_finished_at\":\"2026-11-30T10:01:00Z\","
                + "\"server_version\":\"10.11.6-MariaDB\",\"checkpoints\":\"{}\",\"stored_files\":\"[]\"}";
        dag.startTime = OffsetDateTime.now();
        dag.executeAgent = local.identity();
        dag.persist();
        return dag;
    }

    private long strandedInWaitBackupFinish(long setId, Path destination) {
        DagEntity dag = strandedDag(setId, destination);
        List<Class<? extends Task>> tasks = List.of(CheckDestinationTask.class, OpenArchiveLogTask.class,
                StartBackupTask.class, WaitBackupFinishTask.class);
        List<String> names = List.of("Check destination", "Open archive log", "Start backup", "Wait backup Finish");
        for (int stage = 1; stage <= 4; stage++) {
            TaskState state = stage == 4 ? TaskState.RUNNING : TaskState.SUCCEED;
            NodeEntity node = new NodeEntity();
            node.dagId = dag.id;
            node.stage = stage;
            node.name = names.get(stage - 1);
            node.taskClass = tasks.get(stage - 1).getName();
            node.state = state;
            node.operator = TaskOperator.RUN;
            node.persist();
            SubTaskEntity subTask = new SubTaskEntity();
            subTask.nodeId = node.id;
            subTask.dagId = dag.id;
            subTask.name = node.name;
            subTask.state = state;
            subTask.operator = TaskOperator.RUN;
            subTask.executeTimes = 1;
            subTask.additionalData = "{}";
            subTask.persist();
        }
        return dag.id;
    }

    private static JsonPath awaitFinished(String dagId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonPath dag = api().get("/api/v1/task/dag/" + dagId + "?show_details=true").then().statusCode(200)
                    .extract().jsonPath().setRootPath("data");
            if (List.of("SUCCEED", "FAILED").contains(dag.getString("state")) || System.nanoTime() > deadline) {
                return dag;
            }
            Thread.sleep(100);
        }
    }
}
