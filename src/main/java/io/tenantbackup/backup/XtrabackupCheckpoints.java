package io.tenantbackup.backup;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The {@code xtrabackup_checkpoints} file mariabackup writes into {@code --extra-lsndir}. */
record XtrabackupCheckpoints(String backupType, long fromLsn, long toLsn, long lastLsn) {

    static XtrabackupCheckpoints parse(String text, String source) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        try {
            return new XtrabackupCheckpoints(values.get("backup_type"), Long.parseLong(values.get("from_lsn")),
                    Long.parseLong(values.get("to_lsn")), Long.parseLong(values.get("last_lsn")));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException(source + " is not a complete xtrabackup_checkpoints file: " + values);
        }
    }
}
