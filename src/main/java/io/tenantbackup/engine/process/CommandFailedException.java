package io.tenantbackup.engine.process;

/** An external program ended badly; the message names the program, the exit code and its last output line. */
public class CommandFailedException extends Exception {

    private final transient CommandResult result;

    public CommandFailedException(CommandResult result) {
        super(describe(result));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }

    private static String describe(CommandResult result) {
        String program = result.command().split(" ", 2)[0];
        String how = result.killReason() != null
                ? "was stopped (" + result.killReason() + ")"
                : "exited with code " + result.exitCode();
        String last = result.lastLine().isBlank() ? "" : ": " + result.lastLine();
        return program + " " + how + last;
    }
}
