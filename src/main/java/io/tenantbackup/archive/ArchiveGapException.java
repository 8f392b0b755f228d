package io.tenantbackup.archive;

/** The next binlog file to archive is gone from the tenant: the round cannot continue without a gap. */
final class ArchiveGapException extends Exception {

    ArchiveGapException(String message) {
        super(message);
    }
}
