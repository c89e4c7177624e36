package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.EtcdError;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.function.BooleanSupplier;

/**
 * etcd's rule for a learner (a member that replicates but does not vote, and may lag behind): it
 * answers Maintenance.Status and serializable KV.Range only. Every other call, unary or stream,
 * fails at once with UNAVAILABLE "etcdserver: rpc not supported for learner", which sends a
 * client's balancer to another endpoint. Asked per call, so a promoted member serves everything.
 */
public final class LearnerGate implements ServerInterceptor {
    private static final String STATUS = MaintenanceGrpc.getStatusMethod().getFullMethodName();
    private static final String RANGE = KVGrpc.getRangeMethod().getFullMethodName();

    private final BooleanSupplier isLearner;

    public LearnerGate(BooleanSupplier isLearner) {
        this.isLearner = isLearner;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        if (!isLearner.getAsBoolean()) {
            return next.startCall(call, headers);
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        if (method.equals(STATUS)) {
            return next.startCall(call, headers);
        }
        if (method.equals(RANGE)) {
            return new RangeOnLearner<>(call, headers, next);
        }
        refuse(call);
        return new ServerCall.Listener<>() {};
    }

    private static void refuse(ServerCall<?, ?> call) {
        call.close(EtcdError.NOT_SUPPORTED_FOR_LEARNER.exception().toStatus(), new Metadata());
    }

    /**
     * A Range on a learner: whether it may be served shows only in its one request message, so
     * the handler is started when that arrives (a serializable range) or never (the call refused).
     */
    private static final class RangeOnLearner<Q, A> extends ServerCall.Listener<Q> {
        private final ServerCall<Q, A> call;
        private final Metadata headers;
        private final ServerCallHandler<Q, A> next;
        private ServerCall.Listener<Q> served; // null until a serializable request arrived
        private boolean refused;

        RangeOnLearner(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
            this.call = call;
            this.headers = headers;
            this.next = next;
            call.request(1);
        }

        @Override
        public void onMessage(Q message) {
            if (served != null) {
                served.onMessage(message);
            } else if (!refused && message instanceof RangeRequest r && r.getSerializable()) {
                served = next.startCall(call, headers);
                served.onMessage(message);
            } else if (!refused) {
                refused = true;
                refuse(call);
            }
        }

        @Override
        public void onHalfClose() {
            if (served != null) {
                served.onHalfClose();
            } else if (!refused) { // no request at all: nothing a learner may serve
                refused = true;
                refuse(call);
            }
        }

        @Override
        public void onCancel() {
            if (served != null) {
                served.onCancel();
            }
        }

        @Override
        public void onComplete() {
            if (served != null) {
                served.onComplete();
            }
        }

        @Override
        public void onReady() {
            if (served != null) {
                served.onReady();
            }
        }
    }
}
