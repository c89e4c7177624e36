package io.etcdj.etcdctl.client;

import java.util.List;

/**
 * Everything needed to reach a cluster, taken from the global flags: endpoints (host:port or
 * URL), timeouts in nanoseconds, TLS material and credentials (user null when none).
 */
public record ClientConfig(List<String> endpoints, long dialTimeoutNanos, long commandTimeoutNanos,
                           long keepAliveTimeNanos, long keepAliveTimeoutNanos,
                           boolean insecureTransport, boolean insecureSkipVerify,
                           String cacert, String cert, String key, String serverName,
                           String user, String password) {
    public ClientConfig withEndpoints(List<String> eps) {
        return new ClientConfig(eps, dialTimeoutNanos, commandTimeoutNanos, keepAliveTimeNanos,
                keepAliveTimeoutNanos, insecureTransport, insecureSkipVerify, cacert, cert, key, serverName,
                user, password);
    }

    public ClientConfig withoutAuth() {
        return new ClientConfig(endpoints, dialTimeoutNanos, commandTimeoutNanos, keepAliveTimeNanos,
                keepAliveTimeoutNanos, insecureTransport, insecureSkipVerify, cacert, cert, key, serverName,
                null, null);
    }
}
