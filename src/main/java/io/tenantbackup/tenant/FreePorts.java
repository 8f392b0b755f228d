package io.tenantbackup.tenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Picks a TCP port on 127.0.0.1 that is free now and not recorded for another tenant (which may be down). */
final class FreePorts {

    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    static int pick(String tenant, Set<Integer> reserved) {
        for (int i = 0; i < ATTEMPTS; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (!reserved.contains(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Tenant '" + tenant + "': cannot probe a free port", e);
            }
        }
        throw new IllegalStateException("Tenant '" + tenant + "': no free port found in " + ATTEMPTS + " attempts");
    }
}
