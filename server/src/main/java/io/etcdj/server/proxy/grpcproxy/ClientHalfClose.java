package io.etcdj.server.proxy.grpcproxy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How etcd 3.4's grpc-proxy ends a Watch or LeaseKeepAlive stream the client half-closes: at once,
 * with UNKNOWN "context canceled" (the proxy cancels its own stream context when the client stops
 * sending, and returns that context's error), answers not yet sent dropped. A member, by contrast,
 * keeps such a stream open.
 */
final class ClientHalfClose {
    private ClientHalfClose() {}

    static StatusRuntimeException streamEnded() {
        return Status.UNKNOWN.withDescription("context canceled").asRuntimeException();
    }
}
