package io.etcdj.server.proxy.gateway;

import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.ClientSrvDiscovery;
import io.etcdj.server.proxy.CobraFlags;
import io.etcdj.server.proxy.ProxyProcess;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.naming.NamingException;

/** {@code etcd gateway start}: resolves the endpoints, starts a {@link TcpGateway}, runs until stopped. */
public final class GatewayMain {
    private GatewayMain() {}

    public static int start(CobraFlags flags, StartupLog log) {
        List<String> endpoints = List.of();
        if (!flags.string("discovery-srv").isEmpty()) {
            try {
                endpoints = new ClientSrvDiscovery(DnsLookup.configured())
                        .discover(flags.string("discovery-srv"), flags.string("discovery-srv-name"),
                                flags.bool("insecure-discovery"), flags.string("trusted-ca-file"), log)
                        .stream().map(ClientSrvDiscovery.Endpoint::hostPort).toList();
            } catch (NamingException e) {
                System.err.println(e.getMessage()); // etcd prints the lookup errors as they are, and exits 1
                return 1;
            }
        }
        if (endpoints.isEmpty()) { // as etcd: nothing discovered (or validated) falls back to --endpoints
            endpoints = flags.strings("endpoints").stream().map(ProxyProcess::stripScheme).toList();
        }
        if (endpoints.isEmpty()) {
            log.log(StartupLog.Level.FATAL, "etcdmain/gateway.go:135", "no endpoints found", Map.of());
            return 1;
        }
        TcpGateway gateway = new TcpGateway(endpoints, flags.duration("retry-delay"), log);
        try {
            gateway.start(TcpGateway.hostPort(ProxyProcess.stripScheme(flags.string("listen-addr"))));
        } catch (IOException e) {
            log.log(StartupLog.Level.FATAL, "etcdmain/gateway.go:145", "failed to listen",
                    Map.of("error", e.getMessage()));
            return 1;
        }
        return ProxyProcess.runUntilStopped(gateway);
    }
}
