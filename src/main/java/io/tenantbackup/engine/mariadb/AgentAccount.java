package io.tenantbackup.engine.mariadb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The service's own administrative account on an instance. Its random password lives only in the instance's
 * option file (mode 0600), which mariabackup reads with {@code --defaults-file}, so it never shows on a command
 * line, in a log or in the metadata database.
 */
public final class AgentAccount {

    public static final String USER = "tenant_backup_agent";

    private final MariaDbLayout layout;
    private final int port;

    public AgentAccount(MariaDbLayout layout, int port) {
        this.layout = layout;
        this.port = port;
    }

    /**
     * Writes a new agent password to the option file and an init file that the server runs at its next start to
     * (re)create the account, followed by {@code statements} (e.g. locking root on a fresh install). Nothing in it is
     * binlogged, so no password reaches a binlog, an archive or a backup set. The file is 0600 and belongs to the
     * instance's user, who reads it; the caller deletes it once the server is up. Used for a fresh datadir (whose
     * root has no password yet, so the init file avoids ever logging in as that root) and for a restored one (whose
     * agent password is unknown here).
     */
    public void writeInitFile(Path initFile, List<String> statements) throws IOException {
        String password = HexFormat.of().formatHex(randomBytes(24));
        StringBuilder sql = new StringBuilder("SET sql_log_bin = 0;\n");
        accountStatements(password).forEach(statement -> sql.append(statement).append(";\n"));
        statements.forEach(statement -> sql.append(statement).append(";\n"));
        InstanceUser.of(layout).writeOwnFile(initFile, sql.toString());
        writeOptionFile(password);
    }

    private static List<String> accountStatements(String password) {
        List<String> statements = new ArrayList<>();
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            statements.add("CREATE OR REPLACE USER '" + USER + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
            statements.add("GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'" + host + "' WITH GRANT OPTION");
        }
        return statements;
    }

    /** A JDBC connection to the instance as the agent account. */
    public Connection connect() throws SQLException, IOException {
        return open(readPassword());
    }

    private Connection open(String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5000");
        props.setProperty("allowPublicKeyRetrieval", "true");
        props.setProperty("useSSL", "false");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", props);
    }

    private void writeOptionFile(String password) throws IOException {
        Path file = layout.agentOptionFile();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String body = "[client]\nuser=" + USER + "\npassword=" + password + "\n"
                + "[mariabackup]\nuser=" + USER + "\npassword=" + password + "\n";
        Files.writeString(tmp, body, StandardOpenOption.WRITE);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private String readPassword() throws IOException {
        return Files.readAllLines(layout.agentOptionFile()).stream()
                .filter(line -> line.startsWith("password="))
                .map(line -> line.substring("password=".length()))
                .findFirst()
                .orElseThrow(() -> new IOException("No agent password in " + layout.agentOptionFile()));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
