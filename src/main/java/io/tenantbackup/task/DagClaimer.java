package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tenantbackup.agent.LocalAgent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;

/**
 * Picks up the work other agents wrote for this one: READY DAGs whose execute agent is this agent (created by a
 * request to another agent, or retried there) are started here, and a cancel recorded elsewhere stops the task that
 * runs here. {@code FOR UPDATE SKIP LOCKED} passes over a DAG an operator holds right now instead of waiting for it;
 * the move from READY to RUNNING happens under the DAG's row lock in {@link DagRunner}, so a DAG started both here and
 * after its own commit still runs once.
 */
@ApplicationScoped
class DagClaimer {

    private static final int BATCH = 16;

    @Inject
    DagRunner runner;
    @Inject
    LocalAgent local;
    @Inject
    EntityManager em;

    /** The scheduler identity, for a test that must hold a READY DAG still. */
    static final String JOB = "dag-claimer";

    @Scheduled(identity = JOB, every = "${tenant-backup.agent.claim-interval:1s}",
            delayed = "${tenant-backup.agent.claim-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void claim() {
        for (long dagId : readyForThisAgent()) {
            if (!runner.isActive(dagId)) {
                runner.start(dagId);
            }
        }
        for (long dagId : cancelledOnThisAgent()) {
            runner.signalCancel(dagId, "DAG " + GenericId.encode(dagId) + " was cancelled");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Long> readyForThisAgent() {
        return QuarkusTransaction.requiringNew().call(() -> ((List<Number>) em.createNativeQuery(
                        "SELECT id FROM dag WHERE execute_agent = ?1 AND state = ?2 ORDER BY id LIMIT " + BATCH
                                + " FOR UPDATE SKIP LOCKED")
                .setParameter(1, local.identity())
                .setParameter(2, TaskState.READY.name())
                .getResultList()).stream().map(Number::longValue).toList());
    }

    private List<Long> cancelledOnThisAgent() {
        return QuarkusTransaction.requiringNew().call(() -> DagEntity.<DagEntity>list(
                        "executeAgent = ?1 and state = ?2 and operator = ?3", local.identity(), TaskState.RUNNING,
                        TaskOperator.CANCEL).stream()
                .map(dag -> dag.id)
                .filter(runner::isActive)
                .toList());
    }
}
