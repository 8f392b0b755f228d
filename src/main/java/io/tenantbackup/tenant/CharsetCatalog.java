package io.tenantbackup.tenant;

import io.tenantbackup.error.CommonErrors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The character sets and collations MariaDB 10.11 knows, so that a bad one is refused before anything is created
 * (mariadbd would only refuse it at start). Read from a list taken from the server's information_schema.
 */
final class CharsetCatalog {

    static final String DEFAULT_CHARSET = "utf8mb4";

    private static final String RESOURCE = "/tenant/mariadb-collations.tsv";
    private static final CharsetCatalog INSTANCE = load();

    private final Map<String, String> charsetOfCollation;
    private final Map<String, String> defaultCollationOfCharset;

    private CharsetCatalog(Map<String, String> charsetOfCollation, Map<String, String> defaultCollationOfCharset) {
        this.charsetOfCollation = charsetOfCollation;
        this.defaultCollationOfCharset = defaultCollationOfCharset;
    }

    static CharsetCatalog mariaDb() {
        return INSTANCE;
    }

    /**
     * The server charset and collation for a tenant: a missing charset follows the collation (or defaults to
     * utf8mb4), a missing collation is the charset's default. Names are compared case-insensitively.
     */
    ServerCharset resolve(String tenant, String charset, String collation) {
        String wantedCharset = blankToNull(charset);
        String wantedCollation = blankToNull(collation);
        if (wantedCharset != null && !defaultCollationOfCharset.containsKey(wantedCharset)) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("Tenant '" + tenant + "': charset '" + charset
                    + "' is not a MariaDB character set.");
        }
        if (wantedCollation == null) {
            String name = wantedCharset == null ? DEFAULT_CHARSET : wantedCharset;
            return new ServerCharset(name, defaultCollationOfCharset.get(name));
        }
        String charsetOfWanted = charsetOfCollation.get(wantedCollation);
        if (charsetOfWanted == null) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("Tenant '" + tenant + "': collation '" + collation
                    + "' is not a MariaDB collation.");
        }
        if (wantedCharset != null && !wantedCharset.equals(charsetOfWanted)) {
            throw CommonErrors.ILLEGAL_ARGUMENT.exception("Tenant '" + tenant + "': collation '" + collation
                    + "' does not belong to charset '" + charset + "' (it is a " + charsetOfWanted + " collation).");
        }
        return new ServerCharset(charsetOfWanted, wantedCollation);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private static CharsetCatalog load() {
        Map<String, String> charsetOfCollation = new HashMap<>();
        Map<String, String> defaults = new HashMap<>();
        try (InputStream in = CharsetCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                charsetOfCollation.put(fields[0], fields[1]);
                if ("default".equals(fields[2])) {
                    defaults.put(fields[1], fields[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return new CharsetCatalog(Map.copyOf(charsetOfCollation), Map.copyOf(defaults));
    }

    /** A charset and one of its collations, as given to mariadbd. */
    record ServerCharset(String charset, String collation) {
    }
}
