package io.etcdj.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.UpstreamEndpoints.Spelling;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --discovery-srv} a proxy command relays to its {@code --endpoints}: the gateway
 * as "host:port", the gRPC proxy as given. (The SRV side is {@code ClientSrvDiscoveryTest}'s.)
 */
class UpstreamEndpointsTest {
    @Test
    void theGatewayTakesTheListedEndpointsWithoutTheirScheme() throws Exception {
        CobraFlags flags = new CobraFlags("etcd gateway start", ProxyCommandLine.GATEWAY_FLAGS);
        flags.parse(List.of("--endpoints=http://a:1,https://b:2/,c:3"));
        assertThat(UpstreamEndpoints.resolve(flags, "trusted-ca-file", Spelling.HOST_PORT, StartupLog.NONE))
                .contains(List.of("a:1", "b:2", "c:3"));
    }

    @Test
    void theGrpcProxyTakesTheListedEndpointsAsGiven() throws Exception {
        CobraFlags flags = new CobraFlags("etcd grpc-proxy start", ProxyCommandLine.GRPC_PROXY_FLAGS);
        flags.parse(List.of("--endpoints=http://a:1,b:2"));
        assertThat(UpstreamEndpoints.resolve(flags, "cacert", Spelling.URL, StartupLog.NONE))
                .contains(List.of("http://a:1", "b:2"));
    }
}
