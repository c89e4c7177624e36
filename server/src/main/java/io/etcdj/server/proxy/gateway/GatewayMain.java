package io.etcdj.server.proxy.gateway;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.CobraFlags;
import io.etcdj.server.proxy.ProxyProcess;
import io.etcdj.server.proxy.UpstreamEndpoints;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code etcd gateway start}: resolves the endpoints, starts a {@link TcpGateway}, runs until stopped. */
public final class GatewayMain {
    private GatewayMain() {}

    public static int start(CobraFlags flags, StartupLog log) {
        return UpstreamEndpoints.resolve(flags, "trusted-ca-file", UpstreamEndpoints.Spelling.HOST_PORT, log)
                .map(endpoints -> start(flags, endpoints, log))
                .orElse(1); // the SRV lookup failed; its error is printed
    }

    private static int start(CobraFlags flags, List<String> endpoints, StartupLog log) {
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
