package io.etcdj.server.config;

import java.util.List;

/**
 * --cipher-suites, --tls-min-version and --tls-max-version, which apply to every TLS listener
 * and connection of the member (client and peer sides alike), as in etcd.
 *
 * @param cipherSuites Go's names of the TLS 1.2 suites to offer (empty: the runtime's choice)
 * @param minVersion   "TLS1.2" or "TLS1.3"
 * @param maxVersion   "TLS1.2", "TLS1.3" or "" (the runtime's highest)
 */
public record TlsPolicy(List<String> cipherSuites, String minVersion, String maxVersion) {
    public static final TlsPolicy DEFAULT = new TlsPolicy(List.of(), "TLS1.2", "");

    public TlsPolicy {
        cipherSuites = List.copyOf(cipherSuites);
    }
}
