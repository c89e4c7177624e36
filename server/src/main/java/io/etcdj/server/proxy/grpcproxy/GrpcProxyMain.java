package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.CobraFlags;

/** {@code etcd grpc-proxy start}. */
public final class GrpcProxyMain {
    private GrpcProxyMain() {}

    public static int start(CobraFlags flags, StartupLog log) {
        return 2;
    }
}
