package io.tenantbackup.agent;

/** An agent identity {@code ip:port} split into obshell's execute_agent fields. */
public record AgentAddress(String ip, int port) {

    static String identity(String ip, int port) {
        return ip + ":" + port;
    }

    /** Splits at the last ':' so that an IPv6 address keeps its own colons. */
    public static AgentAddress parse(String identity) {
        int colon = identity.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("agent identity '" + identity + "' is not ip:port");
        }
        return new AgentAddress(identity.substring(0, colon), Integer.parseInt(identity.substring(colon + 1)));
    }
}
