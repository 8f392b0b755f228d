package io.tenantbackup.lifecycle;

import io.tenantbackup.task.Task;
import io.tenantbackup.task.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** "Verify backups": reads only, so it may run again after a crash (without the passwords, held in memory). */
@ApplicationScoped
public class VerifyBackupsTask implements Task {

    @Inject
    VerifyService verify;

    @Override
    public void execute(TaskContext context) throws Exception {
        verify.verify(context);
    }

    @Override
    public boolean safeToRerun() {
        return true;
    }
}
