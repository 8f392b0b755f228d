package io.tenantbackup.lifecycle;

/** The verification result of one subject (a backup set or the archive) and why. */
public record Verdict(Status status, String reason) {

    public enum Status { VALID, INVALID, MISSING, IN_PROGRESS }

    static Verdict valid(String reason) {
        return new Verdict(Status.VALID, reason);
    }

    static Verdict invalid(String reason) {
        return new Verdict(Status.INVALID, reason);
    }
}
