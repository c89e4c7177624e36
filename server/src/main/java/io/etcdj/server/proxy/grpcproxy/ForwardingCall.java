package io.etcdj.server.proxy.grpcproxy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.function.UnaryOperator;

/**
 * Forwards one method of any kind (unary or streaming) to the cluster: each incoming call opens
 * the same call upstream; requests go up rewritten by {@code up}, responses come back rewritten by
 * {@code down} (the namespace's key prefixing, or nothing), and the upstream status ends the
 * client's call. One message is in flight each way per call (the next one is asked for once the
 * previous was passed on), so a slow reader slows the writer instead of filling memory.
 *
 * <p>Only etcd's own metadata (the auth token, the leader requirement) travels upstream. Neither
 * {@link ServerCall} nor {@link ClientCall} is thread-safe, so each is used under its own lock.
 */
final class ForwardingCall<Q, A> implements ServerCallHandler<Q, A> {
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    private final Channel upstream;
    private final MethodDescriptor<Q, A> method;
    private final UnaryOperator<Q> up;
    private final UnaryOperator<A> down;

    ForwardingCall(Channel upstream, MethodDescriptor<Q, A> method, UnaryOperator<Q> up, UnaryOperator<A> down) {
        this.upstream = upstream;
        this.method = method;
        this.up = up;
        this.down = down;
    }

    /** The metadata a forwarded call carries: etcd's token and leader requirement, if the client sent them. */
    static Metadata forwardedHeaders(Metadata incoming) {
        Metadata out = new Metadata();
        if (incoming.containsKey(TOKEN)) {
            out.put(TOKEN, incoming.get(TOKEN));
        }
        if (incoming.containsKey(HAS_LEADER)) {
            out.put(HAS_LEADER, incoming.get(HAS_LEADER));
        }
        return out;
    }

    /** Call options carrying the client's deadline, if it set one. */
    static CallOptions withClientDeadline() {
        Deadline d = Context.current().getDeadline();
        return d == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(d);
    }

    @Override
    public ServerCall.Listener<Q> startCall(ServerCall<Q, A> call, Metadata headers) {
        ClientCall<Q, A> upCall = upstream.newCall(method, withClientDeadline());
        boolean[] headersSent = {false};
        upCall.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(A message) {
                synchronized (call) {
                    if (!headersSent[0]) {
                        headersSent[0] = true;
                        call.sendHeaders(new Metadata());
                    }
                    call.sendMessage(down.apply(message));
                }
                synchronized (upCall) {
                    upCall.request(1);
                }
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                synchronized (call) {
                    try {
                        call.close(status, new Metadata());
                    } catch (IllegalStateException alreadyClosed) {
                        // the client went away first
                    }
                }
            }
        }, forwardedHeaders(headers));
        synchronized (upCall) {
            upCall.request(1);
        }
        synchronized (call) {
            call.request(1);
        }
        return new ServerCall.Listener<>() {
            @Override
            public void onMessage(Q message) {
                synchronized (upCall) {
                    upCall.sendMessage(up.apply(message));
                }
                synchronized (call) {
                    call.request(1);
                }
            }

            @Override
            public void onHalfClose() {
                synchronized (upCall) {
                    upCall.halfClose();
                }
            }

            @Override
            public void onCancel() {
                synchronized (upCall) {
                    upCall.cancel("the proxy's client cancelled", null);
                }
            }
        };
    }
}
