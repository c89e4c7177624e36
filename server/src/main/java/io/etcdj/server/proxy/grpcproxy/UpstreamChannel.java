package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.server.proxy.ProxyProcess;
import io.etcdj.server.tls.PemFiles;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The proxy's connection to the cluster: one gRPC channel over every endpoint, calls spread
 * round-robin over the members that are up (a member that goes away leaves the rotation until it
 * is reachable again). TLS when an endpoint is https or the upstream TLS flags are given.
 * Messages either way are bounded by {@link UpstreamMessageLimits}.
 */
final class UpstreamChannel {
    private UpstreamChannel() {}

    /** A channel over {@code endpoints}, each call's messages bounded by {@code limits}. */
    static ManagedChannel open(List<String> endpoints, GrpcProxy.UpstreamTls tls, UpstreamMessageLimits limits)
            throws IOException {
        List<InetSocketAddress> addresses = endpoints.stream()
                .map(e -> hostPort(ProxyProcess.stripScheme(e))).toList();
        boolean secure = !tls.cert().isEmpty() || !tls.cacert().isEmpty() || tls.skipVerify() || endpoints.stream().anyMatch(e -> e.startsWith("https://"));
        NettyChannelBuilder b = NettyChannelBuilder.forTarget("etcd-endpoints:///cluster")
                .nameResolverFactory(new FixedAddresses(addresses))
                .defaultLoadBalancingPolicy("round_robin")
                .maxInboundMessageSize(Integer.MAX_VALUE) // the limit is checked by UpstreamMessageLimits
                .intercept(limits);
        if (!secure) {
            return b.usePlaintext().build();
        }
        SslContextBuilder ssl = GrpcSslContexts.forClient();
        if (tls.skipVerify()) {
            ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (!tls.cacert().isEmpty()) {
            ssl.trustManager(PemFiles.certificates(Path.of(tls.cacert())).toArray(new X509Certificate[0]));
        }
        if (!tls.cert().isEmpty()) {
            // read by our PEM reader, so PKCS#1 and SEC1 keys (cfssl's, openssl's) work as in etcd
            ssl.keyManager(PemFiles.privateKey(Path.of(tls.key())),
                    PemFiles.certificates(Path.of(tls.cert())).toArray(new X509Certificate[0]));
        }
        return b.sslContext(ssl.build()).build();
    }

    static InetSocketAddress hostPort(String address) {
        URI u = URI.create("tcp://" + address);
        return new InetSocketAddress(u.getHost().replace("[", "").replace("]", ""), u.getPort());
    }

    /** A resolver that always answers the configured endpoints, one address group per member. */
    private static final class FixedAddresses extends NameResolver.Factory {
        private final List<InetSocketAddress> addresses;

        FixedAddresses(List<InetSocketAddress> addresses) {
            this.addresses = addresses;
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return addresses.get(0).getHostString() + ":" + addresses.get(0).getPort();
                }

                @Override
                public void start(Listener2 listener) {
                    listener.onResult(ResolutionResult.newBuilder()
                            .setAddresses(addresses.stream().map(EquivalentAddressGroup::new).toList()).build());
                }

                @Override
                public void shutdown() {
                }
            };
        }

        @Override
        public String getDefaultScheme() {
            return "etcd-endpoints";
        }
    }
}
