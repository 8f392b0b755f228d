package io.tenantbackup.agent;

/** Stops the service's start: another live instance already has this identity or data directory. */
public class AgentStartRefused extends RuntimeException {

    AgentStartRefused(String message) {
        super(message);
    }
}
