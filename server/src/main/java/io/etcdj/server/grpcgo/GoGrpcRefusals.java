package io.etcdj.server.grpcgo;

import io.grpc.DecompressorRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes a grpc-java server refuse what the gRPC layer refuses with grpc-go's codes and texts, as
 * etcd's clients see them from etcd: messages over the receive limit, bytes that do not decode,
 * unknown services and methods, compressed calls. grpc-java's own limit is raised to
 * {@link #transportCeiling}, so that our check on each message's known length answers first; a
 * message beyond that ceiling is still refused by grpc-java (same code, its wording) before it is
 * buffered whole.
 */
public final class GoGrpcRefusals {
    /** How far above the receive limit grpc-java still buffers a message for us to refuse it. */
    static final int CEILING_ABOVE_LIMIT = 8 << 20;

    private GoGrpcRefusals() {
    }

    /**
     * Adds {@code services} to {@code server}, each behind the checks, with {@code maxRecvBytes}
     * as the receive limit, and then behind {@code around} (metrics, logs), which see a refused
     * call's close like any other; the service's own handler never sees the refused message.
     * The calls {@code deadlines} names end with its status when their grpc-timeout passes
     * ({@link CallDeadlines}); grpc-java keeps the others' deadline.
     */
    public static void serve(NettyServerBuilder server, List<ServerServiceDefinition> services, int maxRecvBytes,
                             DeadlineAnswers deadlines, ServerInterceptor... around) {
        server.maxInboundMessageSize(transportCeiling(maxRecvBytes))
                // no decompressor: none is advertised in grpc-accept-encoding, as etcd advertises none
                .decompressorRegistry(DecompressorRegistry.emptyInstance())
                .addStreamTracerFactory(new UnsupportedEncodings())
                .fallbackHandlerRegistry(new UnknownMethods(services.stream()
                        .map(s -> s.getServiceDescriptor().getName()).collect(Collectors.toSet())));
        Set<String> unary = services.stream().flatMap(s -> s.getMethods().stream())
                .map(ServerMethodDefinition::getMethodDescriptor)
                .filter(md -> md.getType() == MethodDescriptor.MethodType.UNARY)
                .map(MethodDescriptor::getFullMethodName).collect(Collectors.toSet());
        server.addStreamTracerFactory(new GrpcTimeoutHeader(deadlines.unaryOnly ? unary::contains : m -> true));
        ServerInterceptor inner = new CallDeadlines(deadlines.expired);
        services.forEach(s -> server.addService(ServerInterceptors.intercept(
                ServerInterceptors.intercept(checked(s, maxRecvBytes), inner), around)));
    }

    /** grpc-go's text for a message over a receive limit (a server's, or a client's own). */
    public static String receivedTooLarge(long size, long max) {
        return "grpc: received message larger than max (" + size + " vs. " + max + ")";
    }

    static int transportCeiling(int maxRecvBytes) {
        return (int) Math.min(Integer.MAX_VALUE, (long) maxRecvBytes + CEILING_ABOVE_LIMIT);
    }

    /** {@code service} with every method's requests checked (see {@link CheckedRequests}). */
    static ServerServiceDefinition checked(ServerServiceDefinition service, int maxRecvBytes) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
        service.getMethods().forEach(m -> b.addMethod(checked(m, maxRecvBytes)));
        return b.build();
    }

    private static <Q, A> ServerMethodDefinition<Q, A> checked(ServerMethodDefinition<Q, A> m, int maxRecvBytes) {
        MethodDescriptor<Q, A> md = m.getMethodDescriptor();
        MethodDescriptor<Q, A> checked = md.toBuilder(
                new CheckedRequests<>(md.getRequestMarshaller(), maxRecvBytes, md.getType() == MethodDescriptor.MethodType.UNARY),
                md.getResponseMarshaller()).build();
        return ServerMethodDefinition.create(checked,
                new RefusingCallHandler<>(m.getServerCallHandler(), md.getType().clientSendsOneMessage()));
    }
}
