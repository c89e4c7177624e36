package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Metadata;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The proxy's Watch service. Each client stream keeps its own watch IDs; each watch it creates
 * joins a shared {@link WatchBroadcast} (see {@link WatchBroadcasts}) instead of opening a watch of
 * its own upstream. Cancelling a watch, or ending the stream, leaves the broadcasts.
 */
final class WatchProxy extends WatchGrpc.WatchImplBase {
    private final WatchBroadcasts broadcasts;
    private final KeyNamespace namespace;

    WatchProxy(WatchBroadcasts broadcasts, KeyNamespace namespace) {
        this.broadcasts = broadcasts;
        this.namespace = namespace;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        return new ClientStream(responses, ClientHeaders.current(), ClientHeaders.identity());
    }

    /** One client's Watch stream. Sends to the client are serialized by {@code sendLock}. */
    private final class ClientStream implements StreamObserver<WatchRequest> {
        private final StreamObserver<WatchResponse> responses;
        private final Metadata headers;
        private final String identity;
        private final Object sendLock = new Object();
        /** Guarded by {@code this}; never held while calling a broadcast. */
        private final Map<Long, Joined> watches = new HashMap<>();
        private long nextWatchId;
        private boolean closed;

        private record Joined(ClientWatcher watcher, WatchBroadcast broadcast) {}

        ClientStream(StreamObserver<WatchResponse> responses, Metadata headers, String identity) {
            this.responses = responses;
            this.headers = headers;
            this.identity = identity;
        }

        private void send(WatchResponse r) {
            synchronized (sendLock) {
                if (!closed) {
                    responses.onNext(r);
                }
            }
        }

        @Override
        public void onNext(WatchRequest r) {
            switch (r.getRequestUnionCase()) {
                case CREATE_REQUEST -> create(r.getCreateRequest());
                case CANCEL_REQUEST -> cancel(r.getCancelRequest().getWatchId());
                case PROGRESS_REQUEST -> send(WatchResponse.newBuilder().setHeader(broadcasts.newestHeader())
                        .setWatchId(-1).build());
                default -> { }
            }
        }

        private void create(WatchCreateRequest asked) {
            long id;
            synchronized (this) {
                if (asked.getWatchId() != 0 && watches.containsKey(asked.getWatchId())) {
                    return; // etcd ignores a create that reuses a watch ID in use
                }
                id = asked.getWatchId() != 0 ? asked.getWatchId() : nextFreeId();
                watches.put(id, null); // reserved until joined
            }
            ClientWatcher w = new ClientWatcher(id, asked, namespace, this::send);
            WatchCreateRequest up = asked.toBuilder().setKey(namespace.key(asked.getKey()))
                    .setRangeEnd(namespace.end(asked.getRangeEnd())).build();
            WatchBroadcast b = broadcasts.join(up, headers, identity, w);
            boolean leaveNow;
            synchronized (this) {
                leaveNow = closed || !watches.containsKey(id);
                if (!leaveNow) {
                    watches.put(id, new Joined(w, b));
                }
            }
            if (leaveNow) {
                b.leave(w);
            }
        }

        private long nextFreeId() {
            while (watches.containsKey(nextWatchId)) {
                nextWatchId++;
            }
            return nextWatchId++;
        }

        private void cancel(long id) {
            Joined j;
            synchronized (this) {
                j = watches.remove(id);
            }
            if (j != null) {
                j.broadcast().leave(j.watcher());
                send(WatchResponse.newBuilder().setHeader(j.broadcast().lastHeader()).setWatchId(id).setCanceled(true).build());
            }
        }

        @Override
        public void onError(Throwable t) {
            end();
        }

        @Override
        public void onCompleted() {
            end();
            synchronized (sendLock) {
                responses.onError(ClientHalfClose.streamEnded());
            }
        }

        private void end() {
            List<Joined> all;
            synchronized (this) {
                all = watches.values().stream().filter(Objects::nonNull).toList();
                watches.clear();
            }
            all.forEach(j -> j.broadcast().leave(j.watcher()));
            synchronized (sendLock) {
                closed = true;
            }
        }
    }
}
