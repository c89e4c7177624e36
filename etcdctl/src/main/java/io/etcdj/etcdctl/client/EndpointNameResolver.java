package io.etcdj.etcdctl.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Resolves to the fixed list of endpoint addresses given on the command line. */
final class EndpointNameResolver extends NameResolver {
    private final List<InetSocketAddress> addresses;

    EndpointNameResolver(List<InetSocketAddress> addresses) {
        this.addresses = addresses;
    }

    @Override
    public String getServiceAuthority() {
        InetSocketAddress a = addresses.get(0);
        return a.getHostString() + ":" + a.getPort();
    }

    @Override
    public void start(Listener2 listener) {
        List<EquivalentAddressGroup> groups = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            groups.add(new EquivalentAddressGroup(a));
        }
        listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
    }

    @Override
    public void shutdown() {}

    /** A factory that hands out this resolver whatever target the channel was built for. */
    static NameResolver.Factory factory(List<InetSocketAddress> addresses) {
        return new NameResolver.Factory() {
            @Override
            public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
                return new EndpointNameResolver(addresses);
            }

            @Override
            public String getDefaultScheme() {
                return "etcdctl";
            }
        };
    }
}
