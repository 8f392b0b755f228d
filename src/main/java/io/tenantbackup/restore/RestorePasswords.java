package io.tenantbackup.restore;

import io.tenantbackup.crypto.MasterKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key of each encrypted set of a restore (derived once, by the request, from the password that opened it) and the
 * passphrase of each encrypted archive round it replays, held in memory only from the request to "Start restore"
 * (DAG parameters are persisted and shown). Lost on restart by design: "Start restore" then fails and says so.
 */
@ApplicationScoped
public class RestorePasswords {

    static final Duration LIFETIME = Duration.ofHours(2);

    private final Map<String, Held> byTenant = new ConcurrentHashMap<>();

    /**
     * {@code bySet}: backup set id -> key; {@code byRound}: archive round -> passphrase; the maps, keys and arrays now
     * belong to this holder.
     */
    void put(String tenant, Map<Long, MasterKey> bySet, Map<Long, char[]> byRound) {
        discard(tenant);
        byTenant.put(tenant, new Held(Map.copyOf(bySet), Map.copyOf(byRound), Instant.now().plus(LIFETIME)));
    }

    /** The key of one set of the restore of {@code tenant}; empty when gone or expired. */
    Optional<MasterKey> get(String tenant, long backupSetId) {
        return Optional.ofNullable(byTenant.get(tenant))
                .filter(held -> Instant.now().isBefore(held.expiresAt()))
                .map(held -> held.bySet().get(backupSetId));
    }

    /** The passphrase of archive round {@code roundId} of the restore of {@code tenant}; empty when gone or expired. */
    Optional<char[]> archiveRound(String tenant, long roundId) {
        return Optional.ofNullable(byTenant.get(tenant))
                .filter(held -> Instant.now().isBefore(held.expiresAt()))
                .map(held -> held.byRound().get(roundId));
    }

    void discard(String tenant) {
        Held held = byTenant.remove(tenant);
        if (held != null) {
            held.bySet().values().forEach(MasterKey::close);
            held.byRound().values().forEach(password -> Arrays.fill(password, '\0'));
        }
    }

    private record Held(Map<Long, MasterKey> bySet, Map<Long, char[]> byRound, Instant expiresAt) {
        @Override
        public String toString() {
            return "Held[sets=" + bySet.keySet() + ", archiveRounds=" + byRound.keySet() + ", expiresAt=" + expiresAt
                    + "]";
        }
    }
}
