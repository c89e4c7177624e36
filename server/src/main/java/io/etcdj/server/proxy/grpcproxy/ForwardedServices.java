package io.etcdj.server.proxy.grpcproxy;

import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.util.Map;

/**
 * A whole service served by forwarding: every method of {@code service} becomes a
 * {@link ForwardingCall} (with the namespace's rewrites for that method), except those given a
 * handler of their own in {@code overrides}.
 */
final class ForwardedServices {
    private ForwardedServices() {}

    static ServerServiceDefinition forward(ServiceDescriptor service, Channel upstream, NamespaceRewrites rewrites,
                                           Map<String, ServerCallHandler<?, ?>> overrides) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service);
        for (MethodDescriptor<?, ?> m : service.getMethods()) {
            add(b, m, upstream, rewrites, overrides.get(m.getFullMethodName()));
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static <Q, A> void add(ServerServiceDefinition.Builder b, MethodDescriptor<Q, A> m, Channel upstream,
                                   NamespaceRewrites rewrites, ServerCallHandler<?, ?> override) {
        ServerCallHandler<Q, A> handler = override != null ? (ServerCallHandler<Q, A>) override
                : new ForwardingCall<>(upstream, m, rewrites.up(m.getFullMethodName()), rewrites.down(m.getFullMethodName()));
        b.addMethod(m, handler);
    }
}
