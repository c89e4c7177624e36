package io.etcdj.server.logging;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * --warning-unary-request-duration: a unary gRPC request that takes longer is logged as a warning
 * "request stats" with etcd's fields (start time, time spent, remote, response type, sizes and the
 * request's content). The content never shows a password or token: such fields are replaced
 * before the request is printed, and the line passes through {@link SecretRedaction} again.
 */
public final class SlowRequestLog implements ServerInterceptor {
    private static final Logger log = LoggerFactory.getLogger(SlowRequestLog.class);

    private static final TextFormat.Printer SHORT = TextFormat.printer();

    private final long thresholdNanos;

    public SlowRequestLog(Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY || thresholdNanos <= 0) {
            return next.startCall(call, headers);
        }
        long start = System.nanoTime();
        Instant startTime = Instant.now();
        Object[] request = new Object[1]; // the one request message, seen before the answer
        ServerCall<Q, A> timed = new SimpleForwardingServerCall<>(call) {
            private Object response;

            @Override
            public void sendMessage(A message) {
                response = message;
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                long took = System.nanoTime() - start;
                if (took > thresholdNanos) {
                    warn(call, startTime, took, request[0], response);
                }
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(timed, headers)) {
            @Override
            public void onMessage(Q message) {
                request[0] = message;
                super.onMessage(message);
            }
        };
    }

    private static void warn(ServerCall<?, ?> call, Instant startTime, long tookNanos, Object request, Object response) {
        Object remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        log.atWarn().setMessage("request stats")
                .addKeyValue("start time", ZapJson.timestamp(startTime))
                .addKeyValue("time spent", Duration.ofNanos(tookNanos).toMillis() + "ms")
                .addKeyValue("remote", remote == null ? "" : withoutLeadingSlash(remote.toString()))
                .addKeyValue("response type", response == null ? "" : response.getClass().getSimpleName())
                .addKeyValue("request size", request instanceof Message m ? m.getSerializedSize() : 0)
                .addKeyValue("response size", response instanceof Message m ? m.getSerializedSize() : 0)
                .addKeyValue("request content", content(request))
                .log();
    }

    /** An InetSocketAddress prints as "/127.0.0.1:port" when it has no host name; etcd logs "127.0.0.1:port". */
    private static String withoutLeadingSlash(String address) {
        return address.startsWith("/") ? address.substring(1) : address;
    }

    /**
     * The request in protobuf's short text form, with every secret-named field (at any depth)
     * replaced and, as etcd logs them, a put's value shown only as its {@code value_size} (values
     * are large, and under load every request may be slow).
     */
    public static String content(Object request) {
        if (!(request instanceof Message m)) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        appendFields(text, withoutSecrets(m));
        return SecretRedaction.redactText(text.toString().trim());
    }

    private static void appendFields(StringBuilder text, Message m) {
        boolean put = m instanceof PutRequest;
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            for (Object value : f.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue())) {
                if (put && f.getNumber() == PutRequest.VALUE_FIELD_NUMBER) {
                    text.append("value_size: ").append(((ByteString) value).size()).append(' ');
                } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    text.append(f.getName()).append(" { ");
                    appendFields(text, (Message) value);
                    text.append("} ");
                } else {
                    // the printer takes a repeated field's whole list: one element at a time is a list of one
                    text.append(SHORT.shortDebugString(f, f.isRepeated() ? List.of(value) : value)).append(' ');
                }
            }
        }
    }

    private static Message withoutSecrets(Message m) {
        Message.Builder b = m.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (SecretRedaction.isSecretName(f.getName())) {
                if (!f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.STRING) {
                    b.setField(f, SecretRedaction.REDACTED);
                } else {
                    b.clearField(f);
                }
            } else if (!f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                b.setField(f, withoutSecrets((Message) e.getValue()));
            }
        }
        return b.build();
    }
}
