package io.etcdj.server.proxy.grpcproxy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.grpc.Metadata;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy's running upstream watches, found by what they watch. Watches that start "now" (no
 * start revision) on the same range with the same options and the same client credentials share
 * one {@link WatchBroadcast}; a watch from a past revision gets a broadcast of its own (its
 * history is its alone).
 */
final class WatchBroadcasts {
    /** What makes two watch requests shareable. */
    private record Shared(ByteString key, ByteString end, boolean prevKv,
                          boolean progressNotify, boolean fragment, String identity) {}

    private final WatchGrpc.WatchStub upstream;
    private final ScheduledExecutorService timer;
    private final ConcurrentHashMap<Object, WatchBroadcast> running = new ConcurrentHashMap<>();
    private final AtomicLong eventsCoalesced = new AtomicLong();

    WatchBroadcasts(WatchGrpc.WatchStub upstream, ScheduledExecutorService timer) {
        this.upstream = upstream;
        this.timer = timer;
    }

    /**
     * Joins {@code w} to the broadcast for {@code upstreamRequest} (already in the cluster's key
     * space), starting one if none runs; returns the broadcast joined.
     */
    WatchBroadcast join(WatchCreateRequest upstreamRequest, Metadata headers, String identity, ClientWatcher w) {
        WatchCreateRequest shared = upstreamRequest.toBuilder().clearFilters().clearWatchId().build();
        Object key = upstreamRequest.getStartRevision() == 0
                ? new Shared(shared.getKey(), shared.getRangeEnd(), shared.getPrevKv(), shared.getProgressNotify(),
                        shared.getFragment(), identity)
                : new Object();
        while (true) {
            WatchBroadcast b = running.computeIfAbsent(key,
                    k -> new WatchBroadcast(this, k, upstream, headers, shared, timer));
            if (b.join(w)) {
                return b;
            }
            running.remove(key, b); // it ended between lookup and join: start another
        }
    }

    void remove(Object key, WatchBroadcast b) {
        running.remove(key, b);
    }

    void eventsCoalesced(int n) {
        eventsCoalesced.addAndGet(n);
    }

    /** Client watchers served without an upstream watch of their own (etcd_grpc_proxy_watchers_coalescing_total). */
    long watchersCoalescing() {
        long clients = 0;
        List<WatchBroadcast> all = List.copyOf(running.values());
        for (WatchBroadcast b : all) {
            clients += b.size();
        }
        return Math.max(0, clients - all.size());
    }

    long eventsCoalescingTotal() {
        return eventsCoalesced.get();
    }

    /** The newest header any broadcast has seen (what a progress request is answered with). */
    ResponseHeader newestHeader() {
        ResponseHeader best = ResponseHeader.getDefaultInstance();
        for (WatchBroadcast b : running.values()) {
            ResponseHeader h = b.lastHeader();
            if (h.getRevision() > best.getRevision()) {
                best = h;
            }
        }
        return best;
    }
}
