package io.tenantbackup.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Settings of obshell's auth v2 as we harden it ($TENANT_BACKUP_AUTH_*); the password is ServiceConfig's. */
@ConfigMapping(prefix = "tenant-backup.auth")
public interface AuthConfig {

    /** Longest accepted distance between now and a header's {@code ts} (an expiry); the SDKs default to 60 s. */
    @WithName("max-lifetime")
    @WithDefault("300s")
    Duration maxLifetime();

    /** Allowance for clocks of clients and server that disagree, on both ends of the lifetime window. */
    @WithName("clock-skew")
    @WithDefault("5s")
    Duration clockSkew();

    /** The agent's RSA private key (PKCS#8 PEM, mode 0600); default {@code <data-dir>/.agent/agent-key.pem}. */
    @WithName("key-file")
    Optional<Path> keyFile();

    /** Modulus size of a newly generated key. */
    @WithName("key-bits")
    @WithDefault("2048")
    int keyBits();
}
