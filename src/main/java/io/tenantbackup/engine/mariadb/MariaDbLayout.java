package io.tenantbackup.engine.mariadb;

import java.nio.file.Path;

/** Where one MariaDB instance keeps its files, all below its own home directory. */
public record MariaDbLayout(Path home) {

    /** Unix socket paths are limited to 107 bytes by the kernel. */
    private static final int MAX_SOCKET_PATH = 107;

    public Path dataDir() {
        return home.resolve("data");
    }

    public Path binlogDir() {
        return home.resolve("binlog");
    }

    /** The binlog base name given to {@code --log-bin}; files are {@code mysql-bin.000001}, ... */
    public Path binlogBase() {
        return binlogDir().resolve("mysql-bin");
    }

    /** The only directory the server reads and writes files in for SQL ({@code --secure-file-priv}). */
    public Path secureFileDir() {
        return home.resolve("files");
    }

    public Path socket() {
        return home.resolve("mysqld.sock");
    }

    public Path pidFile() {
        return home.resolve("mysqld.pid");
    }

    public Path errorLog() {
        return home.resolve("error.log");
    }

    /** Option file (mode 0600) holding the service's own account on the instance; never passed on a command line. */
    public Path agentOptionFile() {
        return home.resolve("agent.cnf");
    }

    public void requireUsableSocketPath() {
        if (socket().toAbsolutePath().toString().length() > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("Instance directory " + home
                    + " is too deep: its socket path would exceed " + MAX_SOCKET_PATH + " bytes");
        }
    }
}
