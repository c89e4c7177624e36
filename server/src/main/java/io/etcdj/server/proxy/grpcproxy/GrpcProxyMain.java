package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.config.TlsPolicy;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.proxy.CobraFlags;
import io.etcdj.server.proxy.ProxyProcess;
import io.etcdj.server.proxy.UpstreamEndpoints;
import io.etcdj.server.tls.TlsMaterial;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code etcd grpc-proxy start}: resolves the endpoints (flags or DNS SRV), builds the listener's
 * and the upstream's TLS, starts a {@link GrpcProxy}, registers it when asked, and runs until
 * stopped. With {@code --experimental-leasing-prefix} the proxy's KV is a
 * {@link io.etcdj.server.proxy.grpcproxy.leasing.LeasingKv} and, as etcd's, the proxy waits for its
 * leasing session before it serves. Flags of etcd's that only tune Go internals (pprof) are
 * accepted and ignored.
 */
public final class GrpcProxyMain {
    private static final Duration ORDERING_RETRY = Duration.ofSeconds(1);

    private GrpcProxyMain() {}

    public static int start(CobraFlags flags, StartupLog log) {
        return UpstreamEndpoints.resolve(flags, "cacert", UpstreamEndpoints.Spelling.URL, log)
                .map(endpoints -> start(flags, endpoints, log))
                .orElse(1); // the SRV lookup failed; its error is printed
    }

    private static int start(CobraFlags flags, List<String> endpoints, StartupLog log) {
        String listenAddr = ProxyProcess.stripScheme(flags.string("listen-addr"));
        GrpcProxy proxy;
        try {
            GrpcProxy.ListenerTls listenerTls = listenerTls(flags, listenAddr);
            Optional<String> refused =
                    UpstreamMessageLimits.refusal(flags.number("max-send-bytes"), flags.number("max-recv-bytes"));
            if (refused.isPresent()) {
                System.err.println(refused.get()); // etcd prints its client's error as it is, and exits 1
                return 1;
            }
            proxy = GrpcProxy.to(endpoints, new GrpcProxy.UpstreamTls(flags.string("cert"), flags.string("key"),
                    flags.string("cacert"), flags.bool("insecure-skip-tls-verify")), flags.string("namespace"),
                    new GrpcProxy.UpstreamOptions(flags.number("max-send-bytes"), flags.number("max-recv-bytes"),
                            flags.bool("experimental-serializable-ordering"))
                            .withLeasingPrefix(flags.string("experimental-leasing-prefix")));
            awaitLeasingSession(proxy);
            if (flags.bool("experimental-serializable-ordering")) {
                recoverOrdering(proxy, log);
            }
            log.log(StartupLog.Level.INFO, "etcdmain/grpc_proxy.go:345", "listening for gRPC proxy client requests",
                    Map.of("address", listenAddr));
            proxy.start(UpstreamChannel.hostPort(listenAddr), listenerTls, new GrpcProxy.Limits(
                    (int) Math.min(Integer.MAX_VALUE, flags.number("max-concurrent-streams"))));
            if (!flags.string("metrics-addr").isEmpty()) {
                InetSocketAddress m = UpstreamChannel.hostPort(ProxyProcess.stripScheme(flags.string("metrics-addr")));
                proxy.serveMetricsOn(m.getHostString(), m.getPort());
                log.log(StartupLog.Level.INFO, "etcdmain/grpc_proxy.go:219", "gRPC proxy listening for metrics",
                        Map.of("address", flags.string("metrics-addr")));
            }
        } catch (IOException | RuntimeException e) {
            log.log(StartupLog.Level.FATAL, "etcdmain/grpc_proxy.go:346", "failed to listen for gRPC proxy client requests",
                    Map.of("address", listenAddr, "error", String.valueOf(e.getMessage())));
            return 1;
        }
        log.log(StartupLog.Level.INFO, "etcdmain/grpc_proxy.go:240", "started gRPC proxy", Map.of("address", listenAddr));
        if (!flags.string("resolver-prefix").isEmpty()) {
            String advertised = flags.string("advertise-client-url");
            long ttl = flags.number("resolver-ttl");
            try {
                proxy.register(flags.string("resolver-prefix"), advertised, ttl, hostName());
                log.log(StartupLog.Level.INFO, "grpcproxy/register.go:83", "registered gRPC proxy endpoint",
                        Map.of("address", advertised, "ttl", ttl));
            } catch (RuntimeException e) {
                log.log(StartupLog.Level.WARN, "grpcproxy/register.go:44", "failed to register gRPC proxy endpoint",
                        Map.of("address", advertised, "error", String.valueOf(e.getMessage())));
            }
        }
        return ProxyProcess.runUntilStopped(proxy);
    }

    /** Waits, as etcd's proxy does before serving, until the leasing session (if any) is established. */
    private static void awaitLeasingSession(GrpcProxy proxy) {
        while (true) {
            try {
                proxy.awaitLeasingSession(ORDERING_RETRY.multipliedBy(30));
                return;
            } catch (StatusRuntimeException stillNone) {
                // the cluster is not reachable yet: etcd's proxy keeps waiting too
            }
        }
    }

    /** Waits, as etcd's proxy does before serving, until one linearizable read sets the ordering floor. */
    private static void recoverOrdering(GrpcProxy proxy, StartupLog log) {
        log.log(StartupLog.Level.INFO, "etcdmain/grpc_proxy.go:420", "waiting for linearized read from cluster to recover ordering",
                Map.of());
        while (true) {
            try {
                proxy.recoverOrdering(ORDERING_RETRY);
                return;
            } catch (StatusRuntimeException e) {
                log.log(StartupLog.Level.WARN, "etcdmain/grpc_proxy.go:426", "ordering recovery failed, retrying in 1s",
                        Map.of("error", String.valueOf(e.getMessage())));
            }
            try {
                Thread.sleep(ORDERING_RETRY.toMillis()); // etcd's retry interval; nothing else to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static GrpcProxy.ListenerTls listenerTls(CobraFlags flags, String listenAddr) throws IOException {
        boolean autoTls = flags.bool("auto-tls");
        if (flags.string("cert-file").isEmpty() && !autoTls) {
            return null;
        }
        // --client-crl-file: revoked client certificates are refused; --listen-cipher-suites: the listener's suites
        TransportSecurity sec = new TransportSecurity(flags.string("cert-file"), flags.string("key-file"), "", "",
                flags.string("trusted-ca-file"), false, flags.string("client-crl-file"), List.of(), List.of(), autoTls,
                false, new TlsPolicy(flags.strings("listen-cipher-suites"),
                        TlsPolicy.DEFAULT.minVersion(), ""));
        String host = UpstreamChannel.hostPort(listenAddr).getHostString();
        Path autoDir = Path.of(flags.string("data-dir"), "fixtures", "proxy");
        return new GrpcProxy.ListenerTls(TlsMaterial.server(sec, autoDir, List.of(host)));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }
}
