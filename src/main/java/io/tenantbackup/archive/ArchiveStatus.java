package io.tenantbackup.archive;

/**
 * obshell's archive log states. DOING archives continuously; SUSPEND pauses without ending the round (DOING again
 * continues it, gap-free or INTERRUPTED); STOP ends the round; INTERRUPTED means a gap was found and only STOP leaves it.
 */
public enum ArchiveStatus {
    DOING, SUSPEND, STOP, INTERRUPTED
}
