package io.tenantbackup.agent;

import java.time.LocalDateTime;

/** An agent's row as the listing shows it; times are the metadata database's. */
public record AgentRecord(String identity, String ip, int port, String hostName, String dataDir, long pid,
                          String version, LocalDateTime startedAt, LocalDateTime heartbeatAt, boolean alive) {
}
