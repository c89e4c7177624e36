package io.etcdj.server.tls;

import io.etcdj.server.config.TlsPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * --cipher-suites and --tls-min/max-version in the JDK's terms. etcd takes Go's cipher suite
 * names, which are the IANA names the JDK uses too, except Go's short ChaCha20 names (without
 * "_SHA256"). A name Go does not know stops start-up with etcd's "unexpected TLS cipher suite".
 * As in Go, the list restricts TLS 1.2 only: TLS 1.3's own suites stay enabled while TLS 1.3 is.
 */
public final class CipherSuites {
    /** Go's names (crypto/tls CipherSuites and InsecureCipherSuites) → the JDK's. */
    private static final Map<String, String> GO_TO_JDK = Map.ofEntries(
            same("TLS_RSA_WITH_RC4_128_SHA"), same("TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
            same("TLS_RSA_WITH_AES_128_CBC_SHA"), same("TLS_RSA_WITH_AES_256_CBC_SHA"),
            same("TLS_RSA_WITH_AES_128_CBC_SHA256"), same("TLS_RSA_WITH_AES_128_GCM_SHA256"),
            same("TLS_RSA_WITH_AES_256_GCM_SHA384"), same("TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
            same("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), same("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            same("TLS_ECDHE_RSA_WITH_RC4_128_SHA"), same("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
            same("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), same("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            same("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"), same("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            same("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), same("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            same("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), same("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            Map.entry("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            same("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"), same("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            same("TLS_AES_128_GCM_SHA256"), same("TLS_AES_256_GCM_SHA384"), same("TLS_CHACHA20_POLY1305_SHA256"));

    private static final List<String> TLS13_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private CipherSuites() {}

    private static Map.Entry<String, String> same(String name) {
        return Map.entry(name, name);
    }

    /** Fails with etcd's message for the first name Go does not know. */
    public static void check(List<String> goNames) {
        for (String n : goNames) {
            if (!GO_TO_JDK.containsKey(n)) {
                throw new IllegalArgumentException("unexpected TLS cipher suite \"" + n + "\"");
            }
        }
    }

    /** The JDK protocol names the policy enables, lowest first. */
    public static String[] protocols(TlsPolicy policy) {
        List<String> out = new ArrayList<>();
        if (!"TLS1.3".equals(policy.minVersion())) {
            out.add("TLSv1.2");
        }
        if (!"TLS1.2".equals(policy.maxVersion())) {
            out.add("TLSv1.3");
        }
        return out.toArray(String[]::new);
    }

    /** The JDK suites to enable, or null to leave the runtime's choice. */
    public static String[] jdkSuites(TlsPolicy policy) {
        if (policy.cipherSuites().isEmpty()) {
            return null;
        }
        check(policy.cipherSuites());
        Set<String> out = new LinkedHashSet<>();
        for (String n : policy.cipherSuites()) {
            out.add(GO_TO_JDK.get(n));
        }
        if (List.of(protocols(policy)).contains("TLSv1.3")) {
            out.addAll(TLS13_SUITES);
        }
        return out.toArray(String[]::new);
    }
}
