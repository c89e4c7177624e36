package io.etcdj.server.proxy.grpcproxy.leasing;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.grpc.stub.StreamObserver;

/**
 * One watch over every ownership key (the whole leasing prefix), from the revision a session
 * began: it tells the session when another client asks for a key this proxy owns (a "REVOKE" put
 * on an ownership key attached to the session lease) and when an ownership key is deleted (given
 * up, or its lease gone). Events arrive in revision order; {@link #lastRevision()} is where a new
 * watch resumes after this one broke.
 */
final class OwnershipWatch implements AutoCloseable {
    /** What the session does with the watch's news; called on gRPC's threads, must not block. */
    interface Listener {
        /** {@code source} is in place: events from its start revision on will follow. */
        void created(OwnershipWatch source);

        void revokeAsked(ByteString key, long lease, long revision);

        void deleted(ByteString key, long revision);

        /** The watch ended: {@code compacted} when its history is gone (the session cannot resume it). */
        void broken(boolean compacted);
    }

    private final Runnable cancel;
    private volatile long lastRevision;
    private volatile boolean closed;

    private OwnershipWatch(LeasingUpstream up, OwnershipKeys owners, long fromRevision, Listener listener) {
        this.lastRevision = fromRevision - 1;
        this.cancel = up.watch(WatchCreateRequest.newBuilder().setKey(owners.all()).setRangeEnd(owners.prefixEnd())
                .setStartRevision(fromRevision).build(), new StreamObserver<>() {
            private boolean ended;

            @Override
            public void onNext(WatchResponse r) {
                if (ended || closed) {
                    return;
                }
                if (r.getCreated()) {
                    listener.created(OwnershipWatch.this);
                }
                for (Event e : r.getEventsList()) {
                    ByteString key = owners.keyOf(e.getKv().getKey());
                    long rev = e.getKv().getModRevision();
                    if (e.getType() == Event.EventType.DELETE) {
                        listener.deleted(key, rev);
                    } else if (e.getKv().getValue().equals(OwnershipKeys.REVOKE)) {
                        listener.revokeAsked(key, e.getKv().getLease(), rev);
                    }
                    lastRevision = rev;
                }
                if (r.getCanceled() || r.getCompactRevision() > 0) {
                    end(r.getCompactRevision() > 0);
                }
            }

            @Override
            public void onError(Throwable t) {
                end(false);
            }

            @Override
            public void onCompleted() {
                end(false);
            }

            private void end(boolean compacted) {
                if (!ended) {
                    ended = true;
                    if (!closed) {
                        listener.broken(compacted);
                    }
                }
            }
        });
    }

    static OwnershipWatch open(LeasingUpstream up, OwnershipKeys owners, long fromRevision, Listener listener) {
        return new OwnershipWatch(up, owners, fromRevision, listener);
    }

    long lastRevision() {
        return lastRevision;
    }

    @Override
    public void close() {
        closed = true;
        cancel.run();
    }
}
