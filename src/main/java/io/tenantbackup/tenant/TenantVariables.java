package io.tenantbackup.tenant;

import io.tenantbackup.error.CommonErrors;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Global system variables a tenant asks for. Names and values are checked against strict patterns before anything
 * is created, because they end up in SQL text; whether the server accepts them is only known when it is set.
 */
final class TenantVariables {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    private static final Pattern NUMBER = Pattern.compile("^-?[0-9]{1,20}(\\.[0-9]{1,20})?$");
    private static final Pattern SIMPLE_STRING = Pattern.compile("^[A-Za-z0-9_.,:/+=@-]{0,1024}$");
    /** Variables the backups depend on: a tenant must not change them. */
    private static final List<String> SERVICE_OWNED_PREFIXES =
            List.of("binlog_", "gtid_", "log_bin", "server_id", "sql_log_bin", "log_slave_updates", "read_only");

    private TenantVariables() {
    }

    /** Checks the request's variables and returns them as text values, in the given order. */
    static Map<String, String> normalize(String tenant, Map<String, ?> variables) {
        Map<String, String> result = new LinkedHashMap<>();
        if (variables == null) {
            return result;
        }
        variables.forEach((name, value) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw illegal(tenant, "variable name '" + name + "' is invalid: it must start with a letter or '_'"
                        + " and contain only letters, digits and '_'");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (SERVICE_OWNED_PREFIXES.stream().anyMatch(lower::startsWith)) {
                throw illegal(tenant, "variable '" + name + "' is managed by the service and cannot be set");
            }
            result.put(lower, text(tenant, name, value));
        });
        return result;
    }

    /** Sets each variable with SET GLOBAL; the first one the server refuses ends it with an exception naming it. */
    static void apply(String tenant, Connection connection, Map<String, String> variables, Consumer<String> log)
            throws SQLException {
        try (Statement sql = connection.createStatement()) {
            for (Map.Entry<String, String> variable : variables.entrySet()) {
                try {
                    sql.execute("SET GLOBAL " + variable.getKey() + " = " + literal(variable.getValue()));
                } catch (SQLException e) {
                    throw new SQLException("Tenant '" + tenant + "': cannot set variable " + variable.getKey()
                            + " to '" + variable.getValue() + "': " + e.getMessage(), e.getSQLState(), e);
                }
                log.accept("Set global variable " + variable.getKey() + " = " + variable.getValue());
            }
        }
    }

    private static String text(String tenant, String name, Object value) {
        if (value instanceof Boolean) {
            return (Boolean) value ? "ON" : "OFF";
        }
        if (value instanceof BigDecimal) {
            return ((BigDecimal) value).toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).toPlainString();
        }
        if (value instanceof Number || (value instanceof String && SIMPLE_STRING.matcher((String) value).matches())) {
            return value.toString();
        }
        throw illegal(tenant, "value of variable '" + name + "' must be a number, a boolean or a simple string"
                + " (letters, digits and _ . , : / + = @ -)");
    }

    /** Numbers go unquoted (a quoted number is refused for numeric variables); the patterns exclude quotes. */
    private static String literal(String value) {
        return NUMBER.matcher(value).matches() ? value : "'" + value + "'";
    }

    private static RuntimeException illegal(String tenant, String what) {
        return CommonErrors.ILLEGAL_ARGUMENT.exception("Tenant '" + tenant + "': " + what + ".");
    }
}
