package io.etcdj.server.bootstrap;

import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdFlags;
import java.time.Duration;
import java.util.List;

/**
 * The settings of etcd 3.6's v3 discovery: the token whose registry assembles the cluster, and
 * how to reach the etcd cluster that holds the registry (--discovery-* flags).
 *
 * @param token             --discovery-token
 * @param endpoints         --discovery-endpoints ("host:port" or "http[s]://host:port"), never empty
 * @param dialTimeout       bound on connecting (and on authenticating, as etcd's client does)
 * @param requestTimeout    bound on each unary request
 * @param insecureTransport plaintext unless an endpoint is https or TLS files are given
 * @param user              user name, or "" for no authentication; with {@code password}, the
 *                          member authenticates once and sends the token with every request
 */
public record V3DiscoveryConfig(String token, List<String> endpoints, Duration dialTimeout, Duration requestTimeout,
                                Duration keepAliveTime, Duration keepAliveTimeout, boolean insecureTransport,
                                boolean insecureSkipVerify, String cert, String key, String cacert, String user,
                                String password) {
    public V3DiscoveryConfig {
        endpoints = List.copyOf(endpoints);
    }

    public static V3DiscoveryConfig from(EtcdConfig c) {
        return new V3DiscoveryConfig(c.discoveryToken(), c.discoveryEndpoints(), c.get(EtcdFlags.DISCOVERY_DIAL_TIMEOUT),
                c.get(EtcdFlags.DISCOVERY_REQUEST_TIMEOUT), c.get(EtcdFlags.DISCOVERY_KEEPALIVE_TIME),
                c.get(EtcdFlags.DISCOVERY_KEEPALIVE_TIMEOUT), c.get(EtcdFlags.DISCOVERY_INSECURE_TRANSPORT),
                c.get(EtcdFlags.DISCOVERY_INSECURE_SKIP_TLS_VERIFY), c.get(EtcdFlags.DISCOVERY_CERT),
                c.get(EtcdFlags.DISCOVERY_KEY), c.get(EtcdFlags.DISCOVERY_CACERT), c.get(EtcdFlags.DISCOVERY_USER),
                c.get(EtcdFlags.DISCOVERY_PASSWORD));
    }

    /** A plaintext, unauthenticated registry at {@code endpoints} with etcd's default timeouts. */
    public static V3DiscoveryConfig plain(String token, List<String> endpoints) {
        return new V3DiscoveryConfig(token, endpoints, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(6), true, false, "", "", "", "", "");
    }

    /**
     * Whether the connection uses TLS: etcd's client does when a TLS file is given, when
     * insecure transport is off or verification is skipped, or when an endpoint says https.
     */
    boolean secure() {
        return !cert.isEmpty() || !key.isEmpty() || !cacert.isEmpty() || !insecureTransport || insecureSkipVerify
                || endpoints.stream().anyMatch(e -> e.startsWith("https://"));
    }
}
