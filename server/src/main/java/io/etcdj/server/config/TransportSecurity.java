package io.etcdj.server.config;

import java.util.List;

/**
 * The TLS settings of one side (client or peer), as etcd's {@code transport.TLSInfo} plus the
 * auto-TLS switch. Paths are as given (relative paths resolve against the working directory).
 *
 * @param certFile         server certificate ("" when none)
 * @param keyFile          server key ("" when none)
 * @param clientCertFile   certificate this member presents when it is the client ("" → certFile)
 * @param clientKeyFile    key this member uses when it is the client ("" → keyFile)
 * @param trustedCaFile    CA bundle used to verify the other side ("" when none)
 * @param clientCertAuth   whether the other side must present a verified certificate
 * @param crlFile          certificate revocation list ("" when none)
 * @param allowedCns       accepted certificate common names (empty: any)
 * @param allowedHostnames accepted certificate SAN host names (empty: any)
 * @param autoTls          generate a self-signed certificate when no cert/key is given
 * @param skipClientSanVerification peer side only: do not check the SAN of client certificates
 * @param policy           cipher suites and TLS versions (shared by both sides)
 */
public record TransportSecurity(String certFile, String keyFile, String clientCertFile, String clientKeyFile,
                                String trustedCaFile, boolean clientCertAuth, String crlFile,
                                List<String> allowedCns, List<String> allowedHostnames, boolean autoTls,
                                boolean skipClientSanVerification, TlsPolicy policy) {
    /** No TLS on this side. */
    public static final TransportSecurity NONE =
            new TransportSecurity("", "", "", "", "", false, "", List.of(), List.of(), false, false);

    /** With the default cipher suites and versions. */
    public TransportSecurity(String certFile, String keyFile, String clientCertFile, String clientKeyFile,
                             String trustedCaFile, boolean clientCertAuth, String crlFile, List<String> allowedCns,
                             List<String> allowedHostnames, boolean autoTls, boolean skipClientSanVerification) {
        this(certFile, keyFile, clientCertFile, clientKeyFile, trustedCaFile, clientCertAuth, crlFile, allowedCns,
                allowedHostnames, autoTls, skipClientSanVerification, TlsPolicy.DEFAULT);
    }

    /** The same with another CRL file. */
    public TransportSecurity withCrlFile(String file) {
        return new TransportSecurity(certFile, keyFile, clientCertFile, clientKeyFile, trustedCaFile, clientCertAuth,
                file, allowedCns, allowedHostnames, autoTls, skipClientSanVerification, policy);
    }

    /** The same with other allowed CNs and host names. */
    public TransportSecurity withAllowed(List<String> cns, List<String> hostnames) {
        return new TransportSecurity(certFile, keyFile, clientCertFile, clientKeyFile, trustedCaFile, clientCertAuth,
                crlFile, cns, hostnames, autoTls, skipClientSanVerification, policy);
    }

    /** The same with other cipher suites and versions. */
    public TransportSecurity withPolicy(TlsPolicy other) {
        return new TransportSecurity(certFile, keyFile, clientCertFile, clientKeyFile, trustedCaFile, clientCertAuth,
                crlFile, allowedCns, allowedHostnames, autoTls, skipClientSanVerification, other);
    }

    public TransportSecurity {
        allowedCns = List.copyOf(allowedCns);
        allowedHostnames = List.copyOf(allowedHostnames);
    }

    /** etcd's TLSInfo.Empty(): no certificate and no key configured. */
    public boolean isEmpty() {
        return certFile.isEmpty() && keyFile.isEmpty();
    }

    /** Whether this side serves TLS: certificates given, or auto TLS requested. */
    public boolean isTls() {
        return !isEmpty() || autoTls;
    }
}
