package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.tenantbackup.agent.LocalAgent;
import io.tenantbackup.error.ServiceException;
import io.tenantbackup.tenant.TenantEntity;
import io.tenantbackup.tenant.TenantOwnership;
import io.tenantbackup.tenant.TenantStatus;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several agents on one metadata DB, seen from this one: the other agents are rows of the agent table (live: a fresh
 * heartbeat; gone: one older than the timeout), and their DAGs are the rows they would have written.
 */
@QuarkusTest
class AgentDagsTest {

    @Inject
    LocalAgent local;
    @Inject
    DagRecovery recovery;
    @Inject
    GoneAgentDags goneAgents;
    @Inject
    TaskEngine engine;
    @Inject
    TaskQueries queries;
    @Inject
    TaskJournal journal;
    @Inject
    TenantOwnership ownership;
    @Inject
    EntityManager em;

    /** The other agents go, so their DAGs end (nothing unfinished is left for other tests), then their rows go too. */
    @AfterEach
    void removeOtherAgents() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE agent"
                + " SET heartbeat_at = NOW(6) - INTERVAL 1 DAY WHERE identity LIKE '10.0.0.%'").executeUpdate());
        goneAgents.failDagsOfGoneAgents();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("DELETE FROM agent WHERE identity LIKE '10.0.0.%'").executeUpdate();
            TenantEntity.delete("name in ?1", List.of("t-remote", "t-orphan"));
        });
    }

    @Test
    void aDagOfAnotherLiveAgentIsNeitherRecoveredNorFailedHere() {
        String other = agent("10.0.0.11:2886", 0);
        long dagId = Dags.stranded(other, TaskState.RUNNING, TestTasks.NotSafeToRerun.class, "t-other-live");

        recovery.recoverInterruptedDags();
        goneAgents.failDagsOfGoneAgents();

        DagEntity dag = queries.dagSummary(dagId);
        assertEquals(TaskState.RUNNING, dag.state);
        assertEquals(List.of(), journal.of(dagId));
    }

    @Test
    void theDagsOfAGoneAgentFailWithALogNamingItAndNothingRunsHere() {
        String gone = agent("10.0.0.12:2886", 120);
        long running = Dags.stranded(gone, TaskState.RUNNING, TestTasks.NotSafeToRerun.class, "t-gone");
        long ready = Dags.stranded(gone, TaskState.READY, TestTasks.SafeToRerun.class, null);

        recovery.recoverInterruptedDags();
        assertEquals(TaskState.RUNNING, queries.dagSummary(running).state, "recovery is per agent");
        goneAgents.failDagsOfGoneAgents();

        for (long dagId : List.of(running, ready)) {
            DagDetail dag = queries.dag(dagId);
            assertEquals(TaskState.FAILED, dag.dag().state);
            List<String> lines = dag.nodes().get(1).subTasks().get(0).logLines();
            String last = lines.get(lines.size() - 1);
            assertTrue(last.startsWith("ERROR: Agent " + gone + ", which runs this DAG, is gone"), last);
            assertTrue(last.contains("Agent " + local.identity() + " failed the DAG"), last);
            assertEquals(gone, dag.nodes().get(1).subTasks().get(0).executeAgent());
            assertEquals(List.of(), journal.of(dagId), "no task and no clean-up of the gone agent runs here");
        }
        assertTrue(queries.dagSummary(running).cleanupOwed, "the started node's clean-up is owed");
        assertFalse(queries.dagSummary(ready).cleanupOwed, "nothing ran, nothing to clean up");
        String incarnation = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT incarnation FROM agent WHERE identity = ?1").setParameter(1, gone).getSingleResult());
        assertTrue(incarnation.startsWith("gone:"), "a paused agent must find itself fenced when it wakes up");
        DagTemplate next = DagTemplate.named("Next").node("First step", TestTasks.First.class)
                .exclusiveFor("t-gone").build();
        assertEquals(TaskState.SUCCEED, Dags.awaitFinished(queries, engine.submit(next, Map.of()).id).dag().state,
                "the failed DAG frees its tenant");
    }

    @Test
    void anAgentThatComesBackRunsTheCleanUpOfTheDagsFailedWhileItWasGone() {
        String gone = agent("10.0.0.15:2886", 120);
        long dagId = Dags.stranded(gone, TaskState.RUNNING, TestTasks.NotSafeToRerun.class, "t-back");
        goneAgents.failDagsOfGoneAgents();
        List<String> failedLines = queries.dag(dagId).nodes().get(1).subTasks().get(0).logLines();
        // this agent plays the gone one, started again
        QuarkusTransaction.requiringNew().run(() -> DagEntity.update("executeAgent = ?1 where id = ?2",
                local.identity(), dagId));

        recovery.runOwedCleanUps();
        recovery.runOwedCleanUps();

        assertEquals(List.of("cleanUp:NotSafeToRerun"), journal.of(dagId), "once");
        DagDetail dag = queries.dag(dagId);
        assertEquals(TaskState.FAILED, dag.dag().state);
        assertFalse(dag.dag().cleanupOwed);
        List<String> lines = dag.nodes().get(1).subTasks().get(0).logLines();
        assertEquals("Cleaning up 'Interrupted step' now that this agent is back", lines.get(failedLines.size()));
        assertEquals(failedLines.get(failedLines.size() - 1), lines.get(lines.size() - 1),
                "the failure stays the last line the SDKs print");
    }

    @Test
    void aReadyDagWrittenForThisAgentByAnotherIsClaimedAndRunsHere() {
        long dagId = Dags.stranded(local.identity(), TaskState.READY, TestTasks.SafeToRerun.class, null);

        DagDetail dag = Dags.awaitFinished(queries, dagId);

        assertEquals(TaskState.SUCCEED, dag.dag().state);
        assertEquals(List.of("execute:SafeToRerun", "execute:Third"), journal.of(dagId));
    }

    @Test
    void aCancelRecordedThroughAnotherAgentStopsTheTaskRunningHere() {
        DagTemplate template = DagTemplate.named("Long").node("Wait", TestTasks.WaitsForCancel.class).build();
        long dagId = engine.submit(template, Map.of()).id;
        Dags.await(queries, dagId, dag -> journal.of(dagId).contains("execute:WaitsForCancel"));

        // what TaskEngine.cancel writes on an agent that does not run the DAG: the operator, nothing else
        QuarkusTransaction.requiringNew().run(() -> DagEntity.update("operator = ?1 where id = ?2",
                TaskOperator.CANCEL, dagId));

        DagDetail dag = Dags.awaitFinished(queries, dagId);
        assertEquals(TaskState.FAILED, dag.dag().state);
        assertEquals(TaskOperator.CANCEL, dag.dag().operator);
        assertTrue(journal.of(dagId).contains("hook:WaitsForCancel"), journal.of(dagId)::toString);
    }

    @Test
    void aDagForATenantOfAnotherAgentIsWrittenForItsOwnerAndNotRunHere() {
        String owner = agent("10.0.0.13:2886", 0);
        tenant("t-remote", owner);
        DagTemplate template = DagTemplate.named("Remote").node("First step", TestTasks.First.class)
                .exclusiveFor("t-remote").build();

        long dagId = engine.submit(template, Map.of()).id;

        assertFalse(ownership.ownsHere("t-remote"));
        DagEntity dag = queries.dagSummary(dagId);
        assertEquals(owner, dag.executeAgent);
        sleepPastAClaim();
        assertEquals(TaskState.READY, queries.dagSummary(dagId).state, "only the owner claims it");
        assertEquals(List.of(), journal.of(dagId));
    }

    @Test
    void aRequestForATenantOfAGoneAgentIsRefusedAndWritesNothing() {
        String owner = agent("10.0.0.14:2886", 120);
        tenant("t-orphan", owner);
        long before = QuarkusTransaction.requiringNew().call(() -> DagEntity.count());
        DagTemplate template = DagTemplate.named("Orphan").node("First step", TestTasks.First.class)
                .exclusiveFor("t-orphan").build();

        ServiceException refused = assertThrows(ServiceException.class, () -> engine.submit(template, Map.of()));

        assertEquals("Agent.Owner.Gone", refused.code().errCode());
        assertEquals(503, refused.code().httpStatus());
        assertTrue(refused.getMessage().contains(owner), refused.getMessage());
        long after = QuarkusTransaction.requiringNew().call(() -> DagEntity.count());
        assertEquals(before, after);
    }

    /** Registers (or refreshes) another agent whose last heartbeat was {@code silentSeconds} ago. */
    private String agent(String identity, int silentSeconds) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("DELETE FROM agent WHERE identity = ?1").setParameter(1, identity).executeUpdate();
            em.createNativeQuery("INSERT INTO agent (identity, ip, port, incarnation, host_name, data_dir, pid,"
                            + " version, started_at, heartbeat_at) VALUES (?1, ?2, 2886, 'other', 'other-host', '/data',"
                            + " 1, 'x', NOW(6), NOW(6) - INTERVAL ?3 SECOND)")
                    .setParameter(1, identity).setParameter(2, identity.substring(0, identity.indexOf(':')))
                    .setParameter(3, silentSeconds).executeUpdate();
        });
        return identity;
    }

    private static void tenant(String name, String owner) {
        QuarkusTransaction.requiringNew().run(() -> {
            TenantEntity.delete("name", name);
            TenantEntity row = new TenantEntity();
            row.name = name;
            row.status = TenantStatus.RESTORING; // not NORMAL: no supervisor, metric or cluster backup looks at it
            row.homeDir = "/elsewhere/" + name;
            row.charset = "utf8mb4";
            row.collation = "utf8mb4_general_ci";
            row.variablesJson = "{}";
            row.createRequestJson = "{}";
            row.ownerAgent = owner;
            row.persist();
        });
    }

    private static void sleepPastAClaim() {
        try {
            Thread.sleep(2500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
