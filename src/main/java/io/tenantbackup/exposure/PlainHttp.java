package io.tenantbackup.exposure;

/** Which clients may use the API over plain HTTP ($TENANT_BACKUP_PLAIN_HTTP). HTTPS is always accepted. */
public enum PlainHttp {
    /** Clients on this host only (the Go SDK next to the service, a sidecar, a tunnel). */
    LOOPBACK,
    /** Any client: a deliberate choice for a network the operator trusts, or behind a TLS-terminating proxy. */
    ANY
}
