package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Lease keep-alives of all clients with the same credentials share one upstream LeaseKeepAlive
 * stream, and requests for a lease already being renewed share that renewal: while a keep-alive
 * of lease L is on its way to the cluster, further requests for L wait for its answer instead of
 * sending their own.
 *
 * <p>Invariant: a lease ID is in {@code waiting} exactly while one upstream request for it is
 * unanswered; if the upstream stream breaks, the waiting IDs are sent again on a new one.
 */
final class KeepAliveCoalescer {

    private final LeaseGrpc.LeaseStub upstream;
    private final ScheduledExecutorService timer;
    private final ConcurrentHashMap<String, Upstream> byIdentity = new ConcurrentHashMap<>();

    KeepAliveCoalescer(LeaseGrpc.LeaseStub upstream, ScheduledExecutorService timer) {
        this.upstream = upstream;
        this.timer = timer;
    }

    /** Renews lease {@code id}; {@code answer} gets the cluster's reply. */
    void keepAlive(long id, Metadata headers, String identity, Consumer<LeaseKeepAliveResponse> answer) {
        byIdentity.computeIfAbsent(identity, k -> new Upstream(headers)).request(id, answer);
    }

    /** One shared upstream stream and the renewals waiting on it. */
    private final class Upstream {
        private final LeaseGrpc.LeaseStub stub;
        private final Map<Long, List<Consumer<LeaseKeepAliveResponse>>> waiting = new HashMap<>();
        private ClientCallStreamObserver<LeaseKeepAliveRequest> stream;

        Upstream(Metadata headers) {
            this.stub = ClientHeaders.attach(upstream, headers).withWaitForReady();
        }

        synchronized void request(long id, Consumer<LeaseKeepAliveResponse> answer) {
            List<Consumer<LeaseKeepAliveResponse>> w = waiting.get(id);
            if (w != null) {
                w.add(answer);
                return;
            }
            w = new ArrayList<>();
            w.add(answer);
            waiting.put(id, w);
            if (stream == null) {
                open();
            } else {
                stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
            }
        }

        /** Opens a new upstream stream and sends every waiting ID on it. */
        private void open() {
            stream = UpstreamStream.open(stub::leaseKeepAlive, (from, r) -> answered(r), this::broken);
            waiting.keySet().forEach(id -> stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build()));
        }

        private void answered(LeaseKeepAliveResponse r) {
            List<Consumer<LeaseKeepAliveResponse>> w;
            synchronized (this) {
                w = waiting.remove(r.getID());
            }
            if (w != null) {
                w.forEach(a -> a.accept(r));
            }
        }

        private synchronized void broken(ClientCallStreamObserver<LeaseKeepAliveRequest> which) {
            if (which != stream) {
                return;
            }
            stream = null;
            UpstreamStream.reopenLater(timer, this::reopen);
        }

        private synchronized void reopen() {
            if (stream == null && !waiting.isEmpty()) {
                open();
            }
        }

    }
}
