package io.tenantbackup.task;

public class TaskCancelledException extends Exception {
    public TaskCancelledException(String reason) {
        super("Cancelled: " + reason);
    }
}
