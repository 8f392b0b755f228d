package io.tenantbackup.engine.process;

import java.util.List;

/** How an {@link ExternalCommand} ended: exit code, its last output lines, and why we killed it, if we did. */
public record CommandResult(String command, int exitCode, List<String> tail, String killReason) {

    public boolean succeeded() {
        return exitCode == 0 && killReason == null;
    }

    public CommandResult requireSuccess() throws CommandFailedException {
        if (!succeeded()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    public String lastLine() {
        return tail.isEmpty() ? "" : tail.get(tail.size() - 1);
    }
}
