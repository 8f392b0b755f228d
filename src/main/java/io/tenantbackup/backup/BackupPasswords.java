package io.tenantbackup.backup;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encryption passwords of backup sets being taken, held in memory only from the request to "Start backup", because
 * DAG parameters are persisted and shown. Lost on restart by design: "Start backup" then fails and says so.
 */
@ApplicationScoped
public class BackupPasswords {

    /** Long enough for "Open archive log" to wait for the archive (up to an hour in obshell) before the backup. */
    static final Duration LIFETIME = Duration.ofHours(2);

    private final Map<Long, Held> bySet = new ConcurrentHashMap<>();

    void put(long backupSetId, String password) {
        bySet.put(backupSetId, new Held(password.toCharArray(), Instant.now().plus(LIFETIME)));
    }

    /** The set's password, removed on the way out; empty if there is none or it has expired. */
    Optional<char[]> take(long backupSetId) {
        return Optional.ofNullable(bySet.remove(backupSetId))
                .filter(held -> Instant.now().isBefore(held.expiresAt()))
                .map(Held::password);
    }

    void discard(long backupSetId) {
        Held held = bySet.remove(backupSetId);
        if (held != null) {
            Arrays.fill(held.password(), '\0');
        }
    }

    private record Held(char[] password, Instant expiresAt) {
        @Override
        public String toString() {
            return "Held[expiresAt=" + expiresAt + "]";
        }
    }
}
