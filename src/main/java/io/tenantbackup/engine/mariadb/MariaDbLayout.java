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

    /** The list of the binlog's files; there is none before the instance's first start. */
    public Path binlogIndex() {
        return binlogDir().resolve(binlogBase().getFileName() + ".index");
    }

    /**
     * The binlog's GTID state as mariadbd saves it at a clean shutdown; the next start takes its state from it when
     * the last binlog was closed cleanly or there is none (and removes it).
     */
    public Path binlogStateFile() {
        return binlogDir().resolve(binlogBase().getFileName() + ".state");
    }

    /** The only directory the server reads and writes files in for SQL ({@code --secure-file-priv}). */
    public Path secureFileDir() {
        return home.resolve("files");
    }

    /**
     * The server's own temporary directory: internal temporary tables there are private to the instance, not in a
     * /tmp shared with other tenants and processes, where a file of the same name can clash or be removed.
     */
    public Path tmpDir() {
        return home.resolve("tmp");
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
