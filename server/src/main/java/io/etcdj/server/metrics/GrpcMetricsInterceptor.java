package io.etcdj.server.metrics;

import com.google.protobuf.MessageLite;
import io.etcdj.server.v3.GoGrpcCodes;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * go-grpc-prometheus' server metrics, as etcd exports them: RPCs started and handled (by code),
 * messages received and sent, handling time; plus etcd's client byte counters.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
    private final MemberMetrics metrics;

    public GrpcMetricsInterceptor(MemberMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        MethodDescriptor<Q, A> md = call.getMethodDescriptor();
        String service = md.getServiceName();
        String method = md.getBareMethodName();
        String type = typeName(md.getType());
        metrics.grpcStarted.labelValues(method, service, type).inc();
        long start = System.nanoTime();
        ServerCall<Q, A> counted = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(A message) {
                metrics.grpcMsgSent.labelValues(method, service, type).inc();
                if (message instanceof MessageLite m) {
                    metrics.clientGrpcSentBytes.inc(m.getSerializedSize());
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                metrics.grpcHandled.labelValues(GoGrpcCodes.name(status.getCode()), method, service, type).inc();
                if (metrics.grpcHandlingSeconds != null) {
                    metrics.grpcHandlingSeconds.labelValues(method, service, type)
                            .observe(MemberMetrics.seconds(System.nanoTime() - start));
                }
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onMessage(Q message) {
                metrics.grpcMsgReceived.labelValues(method, service, type).inc();
                if (message instanceof MessageLite m) {
                    metrics.clientGrpcReceivedBytes.inc(m.getSerializedSize());
                }
                super.onMessage(message);
            }
        };
    }

    private static String typeName(MethodDescriptor.MethodType t) {
        return switch (t) {
            case UNARY -> "unary";
            case CLIENT_STREAMING -> "client_stream";
            case SERVER_STREAMING -> "server_stream";
            case BIDI_STREAMING -> "bidi_stream";
            default -> "unknown";
        };
    }
}
