package io.tenantbackup.tenant;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Stands for a DAG that works on a tenant (like a restore): it holds the tenant until the test releases it. */
@ApplicationScoped
public class HoldTenantTask implements Task {

    public static volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public void execute(TaskContext context) throws Exception {
        if (!release.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Test DAG " + context.dagName() + " was never released");
        }
    }
}
