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
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * go-grpc-prometheus' server metrics, as etcd exports them: RPCs started and handled (by code),
 * messages received and sent, handling time; plus etcd's client byte counters.
 */
public final class GrpcMetricsInterceptor implements ServerInterceptor {
    private final MemberMetrics metrics;
    /** Each method's labelled series, looked up once: a watch stream sends thousands of messages. */
    private final Map<String, MethodSeries> series = new ConcurrentHashMap<>();

    /** The series of one method whose labels do not depend on the outcome. */
    private record MethodSeries(String service, String method, String type, CounterDataPoint started,
                                CounterDataPoint sent, CounterDataPoint received, DistributionDataPoint handling) {
    }

    public GrpcMetricsInterceptor(MemberMetrics metrics) {
        this.metrics = metrics;
    }

    private MethodSeries seriesOf(MethodDescriptor<?, ?> md) {
        return series.computeIfAbsent(md.getFullMethodName(), name -> {
            String service = md.getServiceName();
            String method = md.getBareMethodName();
            String type = typeName(md.getType());
            return new MethodSeries(service, method, type, metrics.grpcStarted.labelValues(method, service, type),
                    metrics.grpcMsgSent.labelValues(method, service, type),
                    metrics.grpcMsgReceived.labelValues(method, service, type),
                    metrics.grpcHandlingSeconds == null ? null
                            : metrics.grpcHandlingSeconds.labelValues(method, service, type));
        });
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        MethodSeries s = seriesOf(call.getMethodDescriptor());
        s.started().inc();
        long start = System.nanoTime();
        ServerCall<Q, A> counted = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(A message) {
                s.sent().inc();
                if (message instanceof MessageLite m) {
                    metrics.clientGrpcSentBytes.inc(m.getSerializedSize());
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                metrics.grpcHandled.labelValues(GoGrpcCodes.name(status.getCode()), s.method(), s.service(), s.type())
                        .inc();
                if (s.handling() != null) {
                    s.handling().observe(MemberMetrics.seconds(System.nanoTime() - start));
                }
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onMessage(Q message) {
                s.received().inc();
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
