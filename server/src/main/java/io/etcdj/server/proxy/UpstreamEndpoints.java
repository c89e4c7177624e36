package io.etcdj.server.proxy;

import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.config.StartupLog;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.naming.NamingException;

/**
 * The cluster endpoints a proxy command ({@code etcd gateway start}, {@code etcd grpc-proxy start})
 * relays to, as etcd resolves them: with {@code --discovery-srv}, the records {@link ClientSrvDiscovery}
 * finds (and keeps); when that is not given or keeps none, the {@code --endpoints} list.
 */
public final class UpstreamEndpoints {
    /** How a proxy command writes its endpoints: a discovered record's form and a listed endpoint's. */
    public enum Spelling {
        /** "host:port" (the gateway's TCP relay): a record's host:port, a listed URL without its scheme. */
        HOST_PORT(ClientSrvDiscovery.Endpoint::hostPort, ProxyProcess::stripScheme),
        /** A URL (the gRPC proxy's client): "https://host:port" or "http://host:port", a listed one as given. */
        URL(ClientSrvDiscovery.Endpoint::url, UnaryOperator.identity());

        private final Function<ClientSrvDiscovery.Endpoint, String> discovered;
        private final UnaryOperator<String> listed;

        Spelling(Function<ClientSrvDiscovery.Endpoint, String> discovered, UnaryOperator<String> listed) {
            this.discovered = discovered;
            this.listed = listed;
        }
    }

    private UpstreamEndpoints() {}

    /**
     * The endpoints named by {@code flags}, spelled as {@code spelling} says; possibly none.
     *
     * @param caFileFlag the flag naming the CA file SRV validation loads (the gateway's
     *     {@code --trusted-ca-file}, the gRPC proxy's {@code --cacert})
     * @return empty when the SRV lookup failed: its error is printed to stderr as etcd prints it, and
     *     the command exits 1
     */
    public static Optional<List<String>> resolve(CobraFlags flags, String caFileFlag, Spelling spelling,
                                                 StartupLog log) {
        List<String> endpoints = List.of();
        if (!flags.string("discovery-srv").isEmpty()) {
            try {
                endpoints = new ClientSrvDiscovery(DnsLookup.configured())
                        .discover(flags.string("discovery-srv"), flags.string("discovery-srv-name"),
                                flags.bool("insecure-discovery"), flags.string(caFileFlag), log)
                        .stream().map(spelling.discovered).toList();
            } catch (NamingException e) {
                System.err.println(e.getMessage()); // etcd prints the lookup errors as they are, and exits 1
                return Optional.empty();
            }
        }
        if (endpoints.isEmpty()) { // as etcd: nothing discovered (or validated) falls back to --endpoints
            endpoints = flags.strings("endpoints").stream().map(spelling.listed).toList();
        }
        return Optional.of(endpoints);
    }
}
