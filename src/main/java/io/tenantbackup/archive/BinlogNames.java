package io.tenantbackup.archive;

/** Binlog file names: {@code <base>.<number>}, the number zero-padded to at least six digits. */
final class BinlogNames {

    private BinlogNames() {
    }

    /** The file the server opens after {@code name}: {@code mysql-bin.000009} → {@code mysql-bin.000010}. */
    static String next(String name) {
        int dot = name.lastIndexOf('.');
        String digits = name.substring(dot + 1);
        long number = Long.parseLong(digits);
        return name.substring(0, dot + 1) + String.format("%0" + digits.length() + "d", number + 1);
    }
}
