package io.tenantbackup.agent;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** How often agents prove they live and how long the others wait before treating one as gone. */
@ApplicationScoped
public class AgentTimings {

    @ConfigProperty(name = "tenant-backup.agent.heartbeat-interval", defaultValue = "5s")
    Duration heartbeatInterval;

    @ConfigProperty(name = "tenant-backup.agent.timeout", defaultValue = "60s")
    Duration timeout;

    @ConfigProperty(name = "tenant-backup.agent.lease-duration", defaultValue = "30s")
    Duration leaseDuration;

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** An agent whose last heartbeat is older than this is gone: its DAGs are failed, its identity may be taken. */
    public Duration timeout() {
        return timeout;
    }

    /** How long a lease lasts without renewal; it is renewed every third of it. */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    static long micros(Duration duration) {
        return duration.toNanos() / 1000;
    }
}
