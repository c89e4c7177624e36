package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers to serializable ranges, kept to answer the same request again without asking the
 * cluster. Serializable reads may be stale by definition; this cache keeps them no staler than
 * the proxy's own view: every write that goes through the proxy (put, delete, txn, compaction)
 * empties it. Bounded: the least recently used answer is dropped beyond {@code capacity}.
 * Entries are keyed by the request as sent upstream plus the caller's credentials, so one user
 * never sees another's answer.
 */
final class RangeCache {
    private record Key(RangeRequest request, String identity) {}

    private final int capacity;
    private final LinkedHashMap<Key, RangeResponse> entries;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    RangeCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, RangeResponse> eldest) {
                return size() > RangeCache.this.capacity;
            }
        };
    }

    synchronized Optional<RangeResponse> get(RangeRequest r, String identity) {
        RangeResponse hit = entries.get(new Key(r, identity));
        (hit == null ? misses : hits).incrementAndGet();
        return Optional.ofNullable(hit);
    }

    synchronized void put(RangeRequest r, String identity, RangeResponse answer) {
        entries.put(new Key(r, identity), answer);
    }

    /** A write went through the proxy: nothing cached may be answered any more. */
    synchronized void invalidate() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }

    long hits() {
        return hits.get();
    }

    long misses() {
        return misses.get();
    }
}
