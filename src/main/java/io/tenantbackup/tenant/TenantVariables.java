package io.tenantbackup.tenant;

import io.tenantbackup.error.CommonErrors;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Global system variables a tenant asks for. Only variables on an allowlist may be set: tuning and SQL behaviour,
 * never a file or directory (general_log_file, secure_file_priv, plugin_dir, ...), a log, a plugin, a security
 * setting, nor what the backups depend on (binlog, GTID, server id, read_only). Names and values are checked against
 * strict patterns before anything is created, because they end up in SQL text; whether the server accepts a value is
 * only known when it is set.
 */
final class TenantVariables {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    private static final Pattern NUMBER = Pattern.compile("^-?[0-9]{1,20}(\\.[0-9]{1,20})?$");
    private static final Pattern SIMPLE_STRING = Pattern.compile("^[A-Za-z0-9_.,:/+=@-]{0,1024}$");
    /** Safe to set on a tenant's instance; the README lists them too. */
    static final Set<String> ALLOWED = Collections.unmodifiableSet(new TreeSet<>(List.of(
            // connections and timeouts
            "connect_timeout", "interactive_timeout", "wait_timeout", "net_read_timeout", "net_write_timeout",
            "net_retry_count", "net_buffer_length", "max_allowed_packet", "max_connections", "max_user_connections",
            "max_connect_errors", "thread_cache_size", "lock_wait_timeout", "innodb_lock_wait_timeout",
            "max_statement_time", "max_prepared_stmt_count",
            // SQL behaviour
            "sql_mode", "autocommit", "auto_increment_increment", "auto_increment_offset", "completion_type",
            "default_week_format", "div_precision_increment", "explicit_defaults_for_timestamp",
            "group_concat_max_len", "max_sort_length", "max_error_count", "max_sp_recursion_depth", "time_zone",
            "lc_time_names", "tx_isolation", "transaction_isolation", "tx_read_only", "transaction_read_only",
            "foreign_key_checks", "unique_checks", "innodb_strict_mode", "innodb_default_row_format",
            "event_scheduler", "default_password_lifetime", "disconnect_on_expired_password",
            // memory and caches
            "sort_buffer_size", "join_buffer_size", "read_buffer_size", "read_rnd_buffer_size", "tmp_table_size",
            "tmp_memory_table_size", "max_heap_table_size", "table_open_cache", "table_definition_cache",
            "key_buffer_size", "bulk_insert_buffer_size", "query_cache_size", "query_cache_limit",
            "innodb_buffer_pool_size", "innodb_io_capacity", "innodb_flush_log_at_trx_commit",
            "innodb_print_all_deadlocks", "long_query_time",
            // optimizer
            "optimizer_switch", "optimizer_search_depth", "eq_range_index_dive_limit")));

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
            if (!ALLOWED.contains(lower)) {
                throw illegal(tenant, "variable '" + name + "' is not one a tenant may set (files, logs, plugins,"
                        + " security and what the backups depend on are the service's); allowed are "
                        + String.join(", ", ALLOWED));
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
