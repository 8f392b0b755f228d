package io.tenantbackup.exposure;

import io.tenantbackup.ServiceConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up check as the service runs it, with the settings of the deployments it must refuse or allow. */
class ExposureCheckTest {

    private static final String OWN_DB_PASSWORD = "a-real-secret";

    @Test
    void aNetworkAddressWithoutPasswordRefusesToStartAndSaysWhatToSet() {
        for (String host : List.of("0.0.0.0", "::", "192.0.2.10")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> start(host, null, "tenant_backup", OWN_DB_PASSWORD, false), host);
            assertTrue(refused.getMessage().startsWith("tenant-backup refuses to start: The API listens on " + host
                    + ", a non-loopback address, without a password"), refused.getMessage());
            assertTrue(refused.getMessage().contains("TENANT_BACKUP_ROOT_PASSWORD"), refused.getMessage());
        }
    }

    @Test
    void loopbackWithoutPasswordAndNetworkWithPasswordStart() {
        for (String host : List.of("127.0.0.1", "localhost", "::1", "127.0.0.2")) {
            start(host, null, "tenant_backup", OWN_DB_PASSWORD, false);
        }
        start("0.0.0.0", "admin-secret", "tenant_backup", OWN_DB_PASSWORD, false);
    }

    @Test
    void theDefaultMetadataAccountNeedsTheExplicitDemoSetting() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> start("127.0.0.1", null, "tenant_backup", "tenant_backup", false));
        assertTrue(refused.getMessage().contains("default tenant_backup/tenant_backup"), refused.getMessage());
        assertTrue(refused.getMessage().contains("QUARKUS_DATASOURCE_PASSWORD"), refused.getMessage());
        assertTrue(refused.getMessage().contains("TENANT_BACKUP_ALLOW_DEFAULT_DB_CREDENTIALS=true"), refused.getMessage());
        start("127.0.0.1", null, "tenant_backup", "tenant_backup", true);
        start("127.0.0.1", null, "backup_admin", "tenant_backup", false);
    }

    @Test
    void bothProblemsAreReportedAtOnce() {
        assertEquals(2, ExposureCheck.problems(new ExposureCheck.Settings("0.0.0.0", false, "tenant_backup",
                "tenant_backup", false)).size());
    }

    /** Runs the check's start-up observer with these settings; throws what the start would. */
    private static void start(String host, String rootPassword, String dbUser, String dbPassword, boolean allowDefault) {
        ExposureCheck check = new ExposureCheck();
        check.config = settings(rootPassword, allowDefault);
        check.httpHost = host;
        check.dbUser = Optional.of(dbUser);
        check.dbPassword = Optional.of(dbPassword);
        check.onStart(null);
    }

    /** Only the settings the check reads; a proxy, so that settings added to ServiceConfig later need no change. */
    private static ServiceConfig settings(String rootPassword, boolean allowDefault) {
        return (ServiceConfig) Proxy.newProxyInstance(ServiceConfig.class.getClassLoader(),
                new Class<?>[]{ServiceConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "rootPassword" -> Optional.ofNullable(rootPassword);
                    case "allowDefaultDbCredentials" -> allowDefault;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
