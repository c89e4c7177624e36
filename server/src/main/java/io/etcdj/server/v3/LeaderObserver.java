package io.etcdj.server.v3;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.v3electionpb.LeaderResponse;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One Observe call: streams the leader of an election each time it changes, as etcd's observer.
 *
 * <p>A cycle: read the first-created key under the prefix. If there is one, send it (with the
 * read's header); if there is none, watch the prefix from the read's revision and send the first
 * key put there (its header revision set to that put's revision). Then watch that key: each put
 * (a Proclaim) is sent with the watch response's header; its deletion starts the next cycle.
 * A failed read or a cancelled watch ends the stream with OK, as etcd's does.
 *
 * <p>Flow control: watch responses are taken only while the call is ready for more (the watch
 * then falls back on history), so a slow observer holds no unbounded buffer here.
 *
 * <p>Invariants: at most one watch is open, none once the call is over; responses are sent one
 * at a time, in revision order.
 */
final class LeaderObserver {
    private final EtcdServer server;
    /** Whom the reads are checked for: the call's token, resolved once (a bad one ends the stream). */
    private final CompletableFuture<Caller> caller;
    private final Executor executor;
    private final ByteString prefix;
    private final ServerCallStreamObserver<LeaderResponse> out;
    private ServerWatch watch; // guarded by this
    private boolean over; // guarded by this

    private LeaderObserver(EtcdServer server, CompletableFuture<Caller> caller, Executor executor, ByteString prefix,
            ServerCallStreamObserver<LeaderResponse> out) {
        this.server = server;
        this.caller = caller;
        this.executor = executor;
        this.prefix = prefix;
        this.out = out;
    }

    /** Starts observing; must be called on the thread that received the call. */
    static void start(EtcdServer server, CompletableFuture<Caller> caller, Executor executor, ByteString prefix,
            ServerCallStreamObserver<LeaderResponse> out) {
        LeaderObserver o = new LeaderObserver(server, caller, executor, prefix, out);
        CallCancellation.of(out).onCancel(o::stop);
        out.setOnReadyHandler(o::resumeWatch);
        o.readLeader();
    }

    private void readLeader() {
        if (isOver()) {
            return;
        }
        caller.thenCompose(c -> server.range(RecipeRequests.firstCreated(prefix), c)).whenComplete(this::onLeaderRead);
    }

    private void onLeaderRead(RangeResponse r, Throwable err) {
        if (err != null) {
            end();
        } else if (r.getKvsCount() == 0) {
            WatchCreateRequest anyPut = WatchCreateRequest.newBuilder().setKey(prefix)
                    .setRangeEnd(RecipeRequests.prefixEnd(prefix)).setStartRevision(r.getHeader().getRevision()).build();
            startWatch(anyPut, this::onFirstPut);
        } else {
            followLeader(r.getHeader(), r.getKvs(0));
        }
    }

    private void onFirstPut(WatchResponse r) {
        for (Event e : r.getEventsList()) {
            if (e.getType() == Event.EventType.PUT) {
                closeWatch();
                followLeader(header(e.getKv().getModRevision()), e.getKv());
                return;
            }
        }
    }

    private void followLeader(ResponseHeader header, KeyValue leader) {
        send(header, leader);
        WatchCreateRequest changes = WatchCreateRequest.newBuilder().setKey(leader.getKey())
                .setStartRevision(header.getRevision() + 1).build();
        startWatch(changes, this::onLeaderChange);
    }

    private void onLeaderChange(WatchResponse r) {
        for (Event e : r.getEventsList()) {
            if (e.getType() == Event.EventType.DELETE) {
                closeWatch();
                readLeader();
                return;
            }
            send(header(r.getHeader().getRevision()), e.getKv());
        }
    }

    private ResponseHeader header(long revision) {
        return server.header().toBuilder().setRevision(revision).build();
    }

    private void startWatch(WatchCreateRequest request, Consumer<WatchResponse> onEvents) {
        synchronized (this) {
            if (over) {
                return;
            }
            watch = ServerWatch.start(server, executor, request, onEvents, err -> end(), out::isReady);
        }
    }

    private synchronized void send(ResponseHeader header, KeyValue kv) {
        if (!over) {
            RecipeReplies.send(out, LeaderResponse.newBuilder().setHeader(header).setKv(kv).build());
        }
    }

    private synchronized boolean isOver() {
        return over;
    }

    private void resumeWatch() {
        ServerWatch w;
        synchronized (this) {
            w = watch;
        }
        if (w != null) {
            w.resume();
        }
    }

    private synchronized void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    /** The client went away. */
    private synchronized void stop() {
        over = true;
        closeWatch();
    }

    /** The observer cannot go on: end the stream with OK. */
    private synchronized void end() {
        if (!over) {
            stop();
            RecipeReplies.complete(out);
        }
    }
}
