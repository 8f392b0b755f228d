package io.tenantbackup.cluster;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The encryption password of a cluster backup, in memory only, for as long as its DAG starts tenant backups (each
 * tenant backup then holds its own copy as a tenant backup does). DAG parameters are persisted and shown, so the
 * password cannot live there; after a restart or once the node has ended it is gone.
 */
@ApplicationScoped
class ClusterBackupPasswords {

    private final Map<Long, char[]> byDag = new ConcurrentHashMap<>();

    void hold(long dagId, String password) {
        byDag.put(dagId, password.toCharArray());
    }

    Optional<String> get(long dagId) {
        return Optional.ofNullable(byDag.get(dagId)).map(String::new);
    }

    void forget(long dagId) {
        char[] password = byDag.remove(dagId);
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
