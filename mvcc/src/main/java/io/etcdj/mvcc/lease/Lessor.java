package io.etcdj.mvcc.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.TxnRead;
import io.etcdj.mvcc.TxnWrite;
import io.etcdj.mvcc.WriteListener;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;

/**
 * etcd's lessor: grants, renews and revokes leases, keeps which keys are attached to which lease, and
 * decides (on the primary only) which leases have expired.
 *
 * <h2>Who calls what</h2>
 * <ul>
 *   <li>The applier (raft-ordered, identical on every member): {@link #grant}, {@link #revoke},
 *       {@link #checkpoint}; the key attachments follow every committed KV write through
 *       {@link #keyAttachments(WriteListener)}, which the server installs as the store's listener.</li>
 *   <li>The raft loop: {@link #promote} when this member has become leader and applied the empty entry
 *       of its term (with the election timeout as extension, as etcd does), {@link #demote} when it
 *       stops being leader.</li>
 *   <li>A server timer (etcd: every 500 ms): {@link #expiredLeases} — the server proposes a
 *       LeaseRevoke through raft for each; {@link #dueCheckpoints} — the server proposes one
 *       LeaseCheckpointRequest with them.</li>
 *   <li>gRPC threads: {@link #renew} (primary only), {@link #timeToLive}, {@link #leases},
 *       {@link #exists}.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * Every lease in memory is in the {@code lease} bucket (written in the same backend commit as the
 * applied grant, with the consistent index); a revoke deletes the lease's keys in ONE store revision and
 * the lease record in the same commit. While not primary every lease's expiry is {@link Lease#FOREVER}
 * and the expiry timeline is empty; while primary every lease has exactly one live expiry entry.
 *
 * <h2>Locking</h2>
 * One monitor ({@code this}). Lock order: the store's lock, then the lessor's; the lessor never takes
 * the store's lock while holding its own.
 */
public final class Lessor {
    private final LessorConfig config;
    private final MonotonicClock clock;
    private Backend backend;
    private KvStore store;

    private final Map<Long, Lease> leases = new HashMap<>();
    private final Map<ByteString, Long> keyLease = new HashMap<>();
    private final LeaseTimeline expiries = new LeaseTimeline();
    private final LeaseTimeline checkpoints = new LeaseTimeline();
    /** Leases renewed while holding a checkpointed remaining TTL: the cluster must hear "0" for them. */
    private final Set<Long> checkpointResets = new LinkedHashSet<>();
    private boolean primary;

    private Lessor(KvStore store, LessorConfig config, MonotonicClock clock) {
        this.store = store;
        this.backend = store.backend();
        this.config = config;
        this.clock = clock;
    }

    /**
     * Loads the leases of the store's backend (not primary: nothing counts down) and re-attaches every
     * live key that names a lease. Install {@link #keyAttachments} as the store's listener afterwards.
     */
    public static Lessor open(KvStore store, LessorConfig config, MonotonicClock clock) {
        Lessor l = new Lessor(store, config, clock);
        l.reload();
        return l;
    }

    /**
     * Replaces everything in memory by what {@code newStore}'s backend holds (after a snapshot from the
     * leader was installed). Keeps the primary/non-primary state; if primary, the reloaded leases count
     * down from now.
     */
    public void recover(KvStore newStore) {
        synchronized (this) {
            this.store = newStore;
            this.backend = newStore.backend();
        }
        reload();
    }

    private void reload() {
        Map<Long, Lease> loaded = new HashMap<>();
        backend.forEach(Bucket.LEASE, null, null, (k, v) -> {
            StoredLease s = StoredLease.fromBytes(v);
            loaded.put(s.id(), new Lease(s.id(), Math.max(s.ttl(), config.minTtlSeconds()), s.remainingTtl()));
            return true;
        });
        List<KeyValue> leased = new ArrayList<>();
        try (TxnRead txn = store.read()) {
            for (KeyValue kv : txn.range(KeyRange.of(new byte[] {0}, new byte[] {0}), RangeOptions.LATEST).kvs()) {
                if (kv.getLease() != 0) {
                    leased.add(kv);
                }
            }
        }
        synchronized (this) {
            leases.clear();
            keyLease.clear();
            expiries.clear();
            checkpoints.clear();
            checkpointResets.clear();
            leases.putAll(loaded);
            for (KeyValue kv : leased) {
                attach(kv.getLease(), kv.getKey());
            }
            if (primary) {
                long now = clock.nanos();
                for (Lease l : leases.values()) {
                    l.refresh(now, 0);
                    expiries.schedule(l.id, l.expiry);
                    scheduleCheckpoint(l, now);
                }
            }
        }
    }

    // ------------------------------------------------------------------ applied (raft-ordered) operations

    /**
     * Grants lease {@code id} (non-zero: the server picks an id before proposing when the client sent 0)
     * with {@code ttl} seconds, raised to the minimum TTL; persists it in one backend commit.
     *
     * @return the granted lease (its TTL after the minimum rule)
     * @throws io.etcdj.mvcc.MvccException lease not found (id 0), too large lease TTL, lease already exists
     */
    public LeaseInfo grant(long id, long ttl) {
        if (id == 0) {
            throw LeaseErrors.notFound();
        }
        if (ttl > LessorConfig.MAX_TTL_SECONDS) {
            throw LeaseErrors.ttlTooLarge();
        }
        synchronized (this) {
            if (leases.containsKey(id)) {
                throw LeaseErrors.exists();
            }
            Lease l = new Lease(id, Math.max(ttl, config.minTtlSeconds()), 0);
            persist(l);
            leases.put(id, l);
            if (primary) {
                long now = clock.nanos();
                l.refresh(now, 0);
                expiries.schedule(id, l.expiry);
                scheduleCheckpoint(l, now);
            }
            return new LeaseInfo(id, l.ttl, l.ttl, List.of());
        }
    }

    /**
     * Revokes lease {@code id}: its attached keys are deleted in one store write transaction (one
     * revision, in key order) whose backend commit also deletes the lease record.
     *
     * @return the store revision after the revoke
     * @throws io.etcdj.mvcc.MvccException lease not found
     */
    public long revoke(long id) {
        try (TxnWrite txn = store.write()) {
            List<ByteString> keys;
            synchronized (this) {
                Lease l = leases.get(id);
                if (l == null) {
                    throw LeaseErrors.notFound();
                }
                keys = sortedKeys(l);
            }
            for (ByteString k : keys) {
                txn.deleteRange(KeyRange.single(k.toByteArray()));
            }
            synchronized (this) {
                Lease l = leases.remove(id);
                for (ByteString k : l.keys) {
                    keyLease.remove(k, id);
                }
                expiries.remove(id);
                checkpoints.remove(id);
                checkpointResets.remove(id);
                txn.batch().delete(Bucket.LEASE, StoredLease.key(id));
            }
        }
        return store.rev();
    }

    /**
     * Applies a checkpoint of lease {@code id}'s remaining TTL (0 clears it). Unknown ids are ignored.
     * Persisted when the config says so; on the primary the next checkpoint is scheduled.
     */
    public synchronized void checkpoint(long id, long remainingTtl) {
        Lease l = leases.get(id);
        if (l == null) {
            return;
        }
        l.remainingTtl = remainingTtl;
        if (config.checkpointPersist()) {
            persist(l);
        }
        if (primary) {
            scheduleCheckpoint(l, clock.nanos());
        }
    }

    private void persist(Lease l) {
        BackendBatch b = backend.newBatch();
        b.put(Bucket.LEASE, StoredLease.key(l.id), l.stored().toBytes());
        backend.commit(b);
    }

    // ------------------------------------------------------------------ key attachments

    /**
     * The store listener that keeps attachments in step with committed writes, then hands every
     * revision on to {@code next} (may be null): a PUT detaches its key from the lease it was
     * attached to (its previous version's) and attaches it to the lease it names; a DELETE detaches it.
     */
    public WriteListener keyAttachments(WriteListener next) {
        return (revision, events) -> {
            synchronized (this) {
                for (Event e : events) {
                    ByteString key = e.getKv().getKey();
                    Long previous = keyLease.get(key);
                    if (previous != null) {
                        detach(previous, key);
                    }
                    if (e.getType() == Event.EventType.PUT && e.getKv().getLease() != 0) {
                        attach(e.getKv().getLease(), key);
                    }
                }
            }
            if (next != null) {
                next.committed(revision, events);
            }
        };
    }

    private void attach(long id, ByteString key) {
        Lease l = leases.get(id);
        if (l == null) {
            return; // the executor refuses puts naming absent leases; a restored orphan key is left alone
        }
        l.keys.add(key);
        keyLease.put(key, id);
    }

    private void detach(long id, ByteString key) {
        Lease l = leases.get(id);
        if (l != null) {
            l.keys.remove(key);
        }
        keyLease.remove(key, id);
    }

    // ------------------------------------------------------------------ leadership

    /**
     * Makes this lessor primary: every lease restarts its countdown now from its checkpointed remaining
     * TTL (or its TTL), extended by {@code extendNanos} so none expires because the cluster had no
     * leader; with many leases, expiries are spread so at most ~750 fall in one second.
     */
    public synchronized void promote(long extendNanos) {
        primary = true;
        long now = clock.nanos();
        expiries.clear();
        checkpoints.clear();
        for (Lease l : leases.values()) {
            l.refresh(now, extendNanos);
        }
        ExpirySpreading.spread(new ArrayList<>(leases.values()), now, extendNanos);
        for (Lease l : leases.values()) {
            expiries.schedule(l.id, l.expiry);
            scheduleCheckpoint(l, now);
        }
    }

    /** Stops the expiry clock: every lease lives forever until the next {@link #promote}. */
    public synchronized void demote() {
        primary = false;
        for (Lease l : leases.values()) {
            l.expiry = Lease.FOREVER;
        }
        expiries.clear();
        checkpoints.clear();
        checkpointResets.clear();
    }

    public synchronized boolean isPrimary() {
        return primary;
    }

    // ------------------------------------------------------------------ primary's timers

    /**
     * Up to {@code limit} leases whose expiry has passed, earliest first (empty unless primary). Each one
     * returned is offered again after the configured retry interval if it is still not revoked then.
     */
    public synchronized List<Long> expiredLeases(int limit) {
        List<Long> out = new ArrayList<>();
        if (!primary) {
            return out;
        }
        long now = clock.nanos();
        long retry = Lease.saturatedAdd(now, config.expiredRetryInterval().toNanos());
        while (out.size() < limit) {
            Long id = expiries.pollDue(now);
            if (id == null) {
                break;
            }
            Lease l = leases.get(id);
            if (l == null) {
                continue;
            }
            if (!l.expired(now)) {
                expiries.schedule(id, l.expiry);
                continue;
            }
            out.add(id);
            expiries.schedule(id, retry);
        }
        return out;
    }

    /**
     * Checkpoints the server should propose now (empty unless primary and checkpointing is on): first
     * resets to 0 of leases renewed since their last checkpoint, then up to {@code limit} leases whose
     * checkpoint is due, with their remaining TTL rounded up to whole seconds.
     */
    public synchronized List<LeaseCheckpoint> dueCheckpoints(int limit) {
        List<LeaseCheckpoint> out = new ArrayList<>();
        if (!primary || !config.checkpointing()) {
            return out;
        }
        var resets = checkpointResets.iterator();
        while (resets.hasNext() && out.size() < limit) {
            long id = resets.next();
            resets.remove();
            if (leases.containsKey(id)) {
                out.add(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(0).build());
            }
        }
        long now = clock.nanos();
        while (out.size() < limit) {
            Long id = checkpoints.pollDue(now);
            if (id == null) {
                break;
            }
            Lease l = leases.get(id);
            if (l == null || l.expired(now)) {
                continue;
            }
            long remaining = (l.remainingNanos(now) + 999_999_999L) / 1_000_000_000L;
            if (remaining >= l.ttl) {
                continue;
            }
            out.add(LeaseCheckpoint.newBuilder().setID(id).setRemainingTTL(remaining).build());
        }
        return out;
    }

    private void scheduleCheckpoint(Lease l, long now) {
        if (!config.checkpointing()) {
            return;
        }
        long interval = config.checkpointInterval().toNanos();
        if (Lease.saturatedMul(l.countdownSeconds(), 1_000_000_000L) > interval) {
            checkpoints.schedule(l.id, Lease.saturatedAdd(now, interval));
        }
    }

    // ------------------------------------------------------------------ client-facing queries

    /**
     * Keepalive: restarts lease {@code id}'s countdown from its full TTL.
     *
     * @return the TTL in seconds
     * @throws NotPrimaryException when this member is not the primary (forward to the leader)
     * @throws io.etcdj.mvcc.MvccException lease not found (also when it has already expired: it is being
     *     revoked)
     */
    public synchronized long renew(long id) {
        if (!primary) {
            throw new NotPrimaryException();
        }
        Lease l = leases.get(id);
        long now = clock.nanos();
        if (l == null || l.expired(now)) {
            throw LeaseErrors.notFound();
        }
        if (l.remainingTtl > 0) {
            l.remainingTtl = 0;
            if (config.checkpointing()) {
                checkpointResets.add(id);
            }
        }
        l.refresh(now, 0);
        expiries.schedule(id, l.expiry);
        scheduleCheckpoint(l, now);
        return l.ttl;
    }

    /**
     * Lease {@code id}'s granted and remaining TTL and (if {@code withKeys}) its keys; null when there is
     * no such lease (etcd answers that with {@code TTL = -1}, not an error).
     */
    public synchronized LeaseInfo timeToLive(long id, boolean withKeys) {
        Lease l = leases.get(id);
        if (l == null) {
            return null;
        }
        return info(l, clock.nanos(), withKeys);
    }

    /** Every lease, soonest expiry first (ties by id). */
    public synchronized List<LeaseInfo> leases() {
        long now = clock.nanos();
        List<Lease> all = new ArrayList<>(leases.values());
        all.sort(Comparator.comparingLong((Lease l) -> l.expiry).thenComparingLong(l -> l.id));
        List<LeaseInfo> out = new ArrayList<>(all.size());
        for (Lease l : all) {
            out.add(info(l, now, false));
        }
        return out;
    }

    public synchronized boolean exists(long id) {
        return leases.containsKey(id);
    }

    /** The lease {@code key} is attached to, 0 if none. */
    public synchronized long leaseOf(ByteString key) {
        return keyLease.getOrDefault(key, 0L);
    }

    private LeaseInfo info(Lease l, long now, boolean withKeys) {
        long remaining = l.expiry == Lease.FOREVER ? l.countdownSeconds() : l.remainingNanos(now) / 1_000_000_000L;
        return new LeaseInfo(l.id, l.ttl, remaining, withKeys ? sortedKeys(l) : List.of());
    }

    private static List<ByteString> sortedKeys(Lease l) {
        List<ByteString> keys = new ArrayList<>(l.keys);
        keys.sort(ByteString.unsignedLexicographicalComparator());
        return keys;
    }
}
