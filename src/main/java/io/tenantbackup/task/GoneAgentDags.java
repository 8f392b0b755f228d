package io.tenantbackup.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.tenantbackup.agent.AgentRegistry;
import io.tenantbackup.agent.AgentTimings;
import io.tenantbackup.agent.LocalAgent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Ends the unfinished DAGs of agents that have been silent past the timeout: FAILED, with a log line naming the gone
 * agent. Only the records change: the gone agent's processes and files are on its host, so no clean-up runs here
 * and nothing is signalled; the clean-up is recorded as owed and runs on that agent when it starts again. The agent
 * is marked gone in the same transaction, so that if it was only paused it stops when it wakes up instead of
 * finishing a DAG that is already FAILED. An agent that comes back before the timeout recovers its DAGs itself
 * ({@link DagRecovery}).
 */
@ApplicationScoped
class GoneAgentDags {

    private static final Logger LOG = Logger.getLogger(GoneAgentDags.class);

    @Inject
    AgentRegistry registry;
    @Inject
    AgentTimings timings;
    @Inject
    LocalAgent local;
    @Inject
    DagRecords records;

    @Scheduled(every = "${tenant-backup.agent.heartbeat-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void failDagsOfGoneAgents() {
        for (String agent : QuarkusTransaction.requiringNew().call(registry::silentAgents)) {
            for (long dagId : unfinishedDagsOf(agent)) {
                if (!failOne(agent, dagId)) {
                    break;
                }
            }
        }
    }

    private List<Long> unfinishedDagsOf(String agent) {
        return QuarkusTransaction.requiringNew().call(() -> DagEntity.<DagEntity>list(
                        "executeAgent = ?1 and state in ?2 order by id", agent,
                        List.of(TaskState.READY, TaskState.RUNNING)).stream()
                .map(dag -> dag.id).toList());
    }

    /** Fails one DAG of the agent; false when the agent beat its heart meanwhile (then it keeps its DAGs). */
    private boolean failOne(String agent, long dagId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<LocalDateTime> lastHeartbeat = registry.declareGone(agent);
            if (lastHeartbeat.isEmpty()) {
                return false;
            }
            DagEntity dag = records.lockDag(dagId);
            if (dag.isFinished() || !agent.equals(dag.executeAgent)) {
                return true;
            }
            NodeEntity node = records.currentNode(dag);
            String line = "ERROR: Agent " + agent + ", which runs this DAG, is gone: no heartbeat since "
                    + lastHeartbeat.get() + " (metadata DB time), longer than the agent timeout of "
                    + timings.timeout().toSeconds() + " s. Agent " + local.identity() + " failed the DAG without"
                    + " touching that agent's processes or files; " + agent + " cleans up when it is back";
            SubTaskEntity subTask = SubTaskEntity.ofNode(node.id);
            dag.cleanupOwed = subTask.executeTimes > 0;
            records.fail(node, subTask, dag.operator == TaskOperator.CANCEL ? TaskOperator.CANCEL : null, line);
            records.finish(dag, TaskState.FAILED);
            LOG.warnf("DAG %s (%s) failed: agent %s is gone", dag.genericId(), dag.name, agent);
            return true;
        });
    }
}
