package io.etcdj.server.proxy.grpcproxy.leasing;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys this proxy owns and their current values. Invariants:
 * <ul>
 *   <li>an entry exists only while the proxy's ownership key for it, created at {@code rev} under
 *       {@link #lease()}, may still exist: it is dropped when the owner gives the key up, when the
 *       ownership key is deleted after {@code rev}, and all entries go when the session lease does;
 *   <li>an entry's value is the cluster's value at its header revision, and no write to the key by
 *       anyone has been acknowledged since unless it went through this proxy and updated the entry;
 *   <li>a key being written through this proxy is not answered from here until the write ended
 *       ({@link #beginWrite}/{@link #endWrite}), so no answer predates a write the client may
 *       already have seen acknowledged elsewhere.
 * </ul>
 * A key given up is not taken again for {@link #BACKOFF}, so two proxies writing and reading the
 * same key do not pass ownership back and forth on every call.
 */
final class OwnedKeyCache {
    static final Duration BACKOFF = Duration.ofSeconds(2);
    /** How long a give-up is remembered to refuse an acquisition that started before it. */
    private static final Duration REMEMBERED = Duration.ofSeconds(60);

    private static final class Entry {
        RangeResponse response;
        final long rev;

        Entry(RangeResponse response, long rev) {
            this.response = response;
            this.rev = rev;
        }
    }

    /** A key given up (or whose ownership key was deleted) at {@code revision}; {@code backoff}: not to be taken again at once. */
    private record GivenUp(long revision, Instant at, boolean backoff) {}

    private final Clock clock;
    private final Map<ByteString, Entry> entries = new HashMap<>();
    private final Map<ByteString, Integer> writing = new HashMap<>();
    private final Map<ByteString, GivenUp> givenUp = new HashMap<>();
    private long lease;

    OwnedKeyCache(Clock clock) {
        this.clock = clock;
    }

    /** A new session (lease 0: none): nothing owned under the old one is kept. */
    synchronized void reset(long newLease) {
        entries.clear();
        lease = newLease;
    }

    /** The session lease ownership keys are attached to; 0 while there is none. */
    synchronized long lease() {
        return lease;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized boolean owns(ByteString key) {
        return entries.containsKey(key);
    }

    /** The answer to {@code r} (a single key, no revision) from the cache, if the key is owned and not being written. */
    synchronized Optional<RangeResponse> read(ByteString key, RangeRequest r) {
        Entry e = entries.get(key);
        if (e == null || writing.containsKey(key)) {
            return Optional.empty();
        }
        return Optional.of(answer(e.response, r));
    }

    /** A read-only txn answered from owned keys not being written, if it names no other (see {@link CachedTxn}). */
    synchronized Optional<TxnResponse> readOnlyTxn(TxnRequest t) {
        return CachedTxn.answer(t, key -> {
            Entry e = entries.get(key);
            return e == null || writing.containsKey(key) ? Optional.empty() : Optional.of(e.response);
        });
    }

    /** Whether the key was not given up within {@link #BACKOFF}. */
    synchronized boolean mayAcquire(ByteString key) {
        GivenUp g = givenUp.get(key);
        return g == null || !g.backoff() || g.at().plus(BACKOFF).isBefore(clock.instant());
    }

    /**
     * Keeps {@code full} (a plain range of {@code key}) as owned since {@code rev} under {@code ownerLease};
     * refused when the session changed or the key was given up or lost after {@code rev}.
     */
    synchronized boolean add(ByteString key, RangeResponse full, long rev, long ownerLease) {
        GivenUp g = givenUp.get(key);
        if (ownerLease != lease || lease == 0 || (g != null && g.revision() > rev)) {
            return false;
        }
        entries.put(key, new Entry(full, rev));
        return true;
    }

    /** A write of {@code key} starts; returns the revision it is owned since (0: not owned). */
    synchronized long beginWrite(ByteString key) {
        writing.merge(key, 1, Integer::sum);
        Entry e = entries.get(key);
        return e == null ? 0 : e.rev;
    }

    /** A write of every owned key in the range starts; returns the keys, for {@link #endWrite}. */
    synchronized List<ByteString> beginWriteRange(ByteString begin, ByteString end) {
        List<ByteString> keys = new ArrayList<>();
        for (ByteString k : entries.keySet()) {
            if (OwnershipKeys.inRange(k, begin, end)) {
                keys.add(k);
            }
        }
        keys.forEach(k -> writing.merge(k, 1, Integer::sum));
        return keys;
    }

    synchronized void endWrite(ByteString key) {
        writing.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    /** A put of {@code value} to an owned key was applied at {@code header}'s revision. */
    synchronized void put(ByteString key, ByteString value, ResponseHeader header) {
        Entry e = entries.get(key);
        if (e == null || header.getRevision() < e.response.getHeader().getRevision()) {
            return;
        }
        long rev = header.getRevision();
        KeyValue before = e.response.getKvsCount() == 0 ? KeyValue.newBuilder().setKey(key).setCreateRevision(rev).build()
                : e.response.getKvs(0);
        KeyValue after = before.toBuilder().setModRevision(rev).setVersion(before.getVersion() + 1).setValue(value).build();
        e.response = e.response.toBuilder().setHeader(header).clearKvs().addKvs(after).setCount(1).build();
    }

    /** Every key in [begin, end) (as a request names it) was deleted at {@code header}'s revision. */
    synchronized void deleted(ByteString begin, ByteString end, ResponseHeader header) {
        for (Map.Entry<ByteString, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            if (OwnershipKeys.inRange(me.getKey(), begin, end)
                    && header.getRevision() >= e.response.getHeader().getRevision()) {
                e.response = e.response.toBuilder().setHeader(header).clearKvs().setCount(0).build();
            }
        }
    }

    /** Stops answering {@code key} (given up at {@code revision}, or its fate unknown); returns the revision it was owned since. */
    synchronized long giveUp(ByteString key, long revision) {
        return forget(key, revision, true);
    }

    private long forget(ByteString key, long revision, boolean backoff) {
        Instant now = clock.instant();
        givenUp.values().removeIf(g -> g.at().plus(REMEMBERED).isBefore(now));
        GivenUp before = givenUp.get(key);
        if (before == null || backoff || !before.backoff()) {
            givenUp.put(key, new GivenUp(Math.max(revision, before == null ? 0 : before.revision()), now, backoff));
        } else { // a plain deletion does not restart or end an earlier give-up's backoff
            givenUp.put(key, new GivenUp(Math.max(revision, before.revision()), before.at(), true));
        }
        Entry e = entries.remove(key);
        return e == null ? 0 : e.rev;
    }

    /** The ownership key of {@code key} was deleted at {@code revision}: an ownership older than that is gone. */
    synchronized void lost(ByteString key, long revision) {
        Entry e = entries.get(key);
        if (e == null || e.rev < revision) {
            forget(key, revision, e != null);
        }
    }

    /** What a plain single-key range {@code full} answers to {@code r}, as the cluster would. */
    static RangeResponse answer(RangeResponse full, RangeRequest r) {
        RangeResponse.Builder b = full.toBuilder().clearKvs();
        if (full.getKvsCount() == 0 || r.getCountOnly()) {
            return b.build();
        }
        KeyValue kv = full.getKvs(0);
        boolean filtered = (r.getMinModRevision() > kv.getModRevision())
                || (r.getMaxModRevision() != 0 && r.getMaxModRevision() < kv.getModRevision())
                || (r.getMinCreateRevision() > kv.getCreateRevision())
                || (r.getMaxCreateRevision() != 0 && r.getMaxCreateRevision() < kv.getCreateRevision());
        if (filtered) {
            return b.build(); // the count stays that of the key, as the cluster counts before filtering
        }
        return b.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv).build();
    }

    /** Whether {@link #answer} can answer {@code r}: one key, at the current revision. */
    static boolean answerable(RangeRequest r) {
        return r.getRangeEnd().isEmpty() && r.getRevision() == 0;
    }
}
