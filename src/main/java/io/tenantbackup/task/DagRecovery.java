package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.tenantbackup.agent.LocalAgent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * At start-up, picks up the DAGs this agent left unfinished when it stopped, so that none stays READY or RUNNING
 * forever: READY ones start; a RUNNING one resumes its current node if that task is safe to re-run, else it fails and
 * is cleaned up. DAGs of other agents are theirs to recover ({@link GoneAgentDags} fails those of a gone agent).
 */
@ApplicationScoped
public class DagRecovery {

    private static final Logger LOG = Logger.getLogger(DagRecovery.class);

    @Inject
    DagRunner runner;

    @Inject
    TaskBeans tasks;

    @Inject
    LocalAgent local;

    void onStart(@Observes StartupEvent event) {
        adoptDagsFromBeforeAgents();
        runOwedCleanUps();
        recoverInterruptedDags();
    }

    /** Clean-ups of DAGs another agent failed while this one was gone: before anything of this agent runs again. */
    void runOwedCleanUps() {
        List<Long> owed = QuarkusTransaction.requiringNew().call(() -> DagEntity.<DagEntity>list(
                "executeAgent = ?1 and cleanupOwed = true order by id", local.identity()).stream()
                .map(dag -> dag.id).toList());
        for (long dagId : owed) {
            LOG.infof("Cleaning up DAG %s, failed by another agent while this one was gone", GenericId.encode(dagId));
            runner.runOwedCleanUp(dagId);
        }
    }

    /** DAGs written before agents existed (V6) were all this service's: the first agent to start takes them. */
    private void adoptDagsFromBeforeAgents() {
        QuarkusTransaction.requiringNew().run(() -> DagEntity.update("executeAgent = ?1 where executeAgent is null",
                local.identity()));
    }

    /** Handles every unfinished DAG of this agent that no worker of this service is working on. */
    public void recoverInterruptedDags() {
        List<Interrupted> interrupted = QuarkusTransaction.requiringNew().call(() -> DagEntity.<DagEntity>list(
                        "executeAgent = ?1 and state in ?2 order by id", local.identity(),
                        List.of(TaskState.READY, TaskState.RUNNING)).stream()
                .filter(dag -> !runner.isActive(dag.id))
                .map(dag -> new Interrupted(dag, NodeEntity.atStage(dag.id, dag.stage)))
                .toList());
        interrupted.forEach(this::recover);
    }

    private void recover(Interrupted interrupted) {
        DagEntity dag = interrupted.dag();
        NodeEntity node = interrupted.currentNode();
        LOG.infof("Recovering DAG %s (%s), %s at node '%s'", dag.genericId(), dag.name, dag.state, node.name);
        if (dag.state == TaskState.READY) {
            runner.start(dag.id);
        } else if (dag.operator == TaskOperator.CANCEL) {
            runner.failInterrupted(dag.id, "ERROR: Cancelled: the service stopped while '" + node.name
                    + "' was being cancelled");
        } else if (dag.operator == TaskOperator.ROLLBACK) {
            runner.resume(dag.id, null);
        } else if (node.state == TaskState.PENDING || tasks.safeToRerun(node.taskClass, node.name)) {
            runner.resume(dag.id, "Resumed after a service restart");
        } else {
            runner.failInterrupted(dag.id, "ERROR: The service stopped while '" + node.name
                    + "' was running; it cannot be resumed safely");
        }
    }

    private record Interrupted(DagEntity dag, NodeEntity currentNode) {
    }
}
