package io.tenantbackup.restore;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Live byte counts of running restores (the decoded backup stream fed to mbstream), for the overview. */
@ApplicationScoped
public class RestoreProgress {

    private final Map<String, AtomicLong> bytesByTenant = new ConcurrentHashMap<>();

    void start(String tenant) {
        bytesByTenant.put(tenant, new AtomicLong());
    }

    void add(String tenant, long bytes) {
        bytesByTenant.computeIfAbsent(tenant, name -> new AtomicLong()).addAndGet(bytes);
    }

    long finishBytes(String tenant) {
        AtomicLong bytes = bytesByTenant.get(tenant);
        return bytes == null ? 0 : bytes.get();
    }
}
