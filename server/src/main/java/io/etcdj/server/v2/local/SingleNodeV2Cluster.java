package io.etcdj.server.v2.local;

import io.etcdj.server.v2.http.V2Cluster;
import io.etcdj.server.v2.http.V2Member;
import io.etcdj.server.v2.http.V2MemberException;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Event;
import io.etcdj.server.v2.store.V2Request;
import io.etcdj.server.v2.store.V2RequestApplier;
import io.etcdj.server.v2.store.V2Store;
import io.etcdj.server.v2.store.V2Watcher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A one-member {@link V2Cluster} without raft: every proposal is "committed" at once by applying it
 * to a {@link V2Store} under a lock, taking one raft index as etcd's entries would. It starts in the
 * state a fresh single-member etcd 3.4 reaches (store index 3 after the member's raftAttributes,
 * attributes and the cluster version; raft index 4, term 2), keeps membership in the store's "/0"
 * namespace as etcd does, and applies etcd's strict reconfiguration checks.
 * For tests and for running the v2 API alone; the real member implements V2Cluster over raft.
 */
public final class SingleNodeV2Cluster implements V2Cluster {
    private static final String MEMBERS = "/0/members/";

    private final V2Store store = new V2Store("/0", "/1");
    private final LongSupplier clockNanos;
    private final long clusterId;
    private final long selfId;
    private final long startNanos;
    private final Map<Long, V2Member> members = new LinkedHashMap<>();
    private final Set<Long> removed = new HashSet<>();
    private long raftIndex;
    private final long term = 2;

    /** {@code clockNanos}: unix-epoch nanoseconds (shown in stats; passed to store reads). */
    public SingleNodeV2Cluster(String name, List<String> peerUrls, List<String> clientUrls, long clusterId,
                               long memberId, LongSupplier clockNanos) {
        this.clockNanos = clockNanos;
        this.clusterId = clusterId;
        this.selfId = memberId;
        this.startNanos = clockNanos.getAsLong();
        V2Member self = new V2Member(memberId, name, List.copyOf(peerUrls), List.copyOf(clientUrls));
        members.put(memberId, self);
        long now = clockNanos.getAsLong();
        store.create(MEMBERS + hex(memberId) + "/raftAttributes", false, raftAttributes(peerUrls), false,
                V2Store.PERMANENT, now);
        store.set(MEMBERS + hex(memberId) + "/attributes", false, attributes(name, clientUrls),
                V2Store.PERMANENT, false, now);
        store.set("/0/version", false, "3.4.0", V2Store.PERMANENT, false, now);
        raftIndex = 4;
    }

    /** The store (for tests and snapshots). */
    public V2Store store() { return store; }

    /** Proposes etcd's SYNC: expires every node whose time is at or before {@code nowNanos}. */
    public synchronized void expire(long nowNanos) {
        raftIndex++;
        V2RequestApplier.apply(store, V2Request.sync(0, nowNanos));
    }

    @Override
    public synchronized Result propose(V2Request request) {
        raftIndex++;
        V2Event e = V2RequestApplier.apply(store, request);
        return new Result(e, raftIndex, term);
    }

    @Override
    public synchronized Result get(String storePath, boolean recursive, boolean sorted) {
        return new Result(store.get(storePath, recursive, sorted, clockNanos.getAsLong()), raftIndex, term);
    }

    @Override
    public V2Watcher watch(String storePath, boolean recursive, boolean stream, long sinceIndex) {
        return store.watch(storePath, recursive, stream, sinceIndex);
    }

    @Override public synchronized long raftIndex() { return raftIndex; }
    @Override public long raftTerm() { return term; }
    @Override public long clusterId() { return clusterId; }
    @Override public long memberId() { return selfId; }

    @Override
    public synchronized List<V2Member> members() {
        List<V2Member> l = new ArrayList<>(members.values());
        l.sort(Comparator.comparing(m -> m.id(), Long::compareUnsigned));
        return l;
    }

    @Override
    public synchronized Optional<V2Member> leader() {
        return Optional.ofNullable(members.get(selfId));
    }

    @Override
    public synchronized V2Member addMember(List<String> peerUrls) throws V2MemberException {
        int voting = members.size() + 1;
        int started = startedCount(-1);
        if (!(started == 1 && voting == 2) && started < voting / 2 + 1) {
            throw new V2MemberException(V2MemberException.Kind.INTERNAL, "etcdserver: unhealthy cluster");
        }
        long id = newMemberId(peerUrls);
        if (members.containsKey(id) || removed.contains(id)) {
            throw new V2MemberException(V2MemberException.Kind.CONFLICT, "membership: ID exists");
        }
        for (V2Member m : members.values()) {
            for (String u : m.peerUrls()) {
                if (peerUrls.contains(u)) {
                    throw new V2MemberException(V2MemberException.Kind.CONFLICT, "membership: peerURL exists");
                }
            }
        }
        raftIndex++;
        V2Member m = new V2Member(id, "", List.copyOf(peerUrls), List.of());
        members.put(id, m);
        store.create(MEMBERS + hex(id) + "/raftAttributes", false, raftAttributes(peerUrls), false,
                V2Store.PERMANENT, clockNanos.getAsLong());
        return m;
    }

    @Override
    public synchronized void removeMember(long id) throws V2MemberException {
        int others = 0;
        for (long m : members.keySet()) {
            if (m != id) {
                others++;
            }
        }
        if (startedCount(id) < others / 2 + 1) {
            throw new V2MemberException(V2MemberException.Kind.INTERNAL, "etcdserver: re-configuration failed due to not enough started members");
        }
        if (removed.contains(id)) {
            throw new V2MemberException(V2MemberException.Kind.GONE, "Member permanently removed: " + hex(id));
        }
        if (!members.containsKey(id)) {
            throw new V2MemberException(V2MemberException.Kind.NOT_FOUND, "No such member: " + hex(id));
        }
        raftIndex++;
        members.remove(id);
        removed.add(id);
        long now = clockNanos.getAsLong();
        store.delete(MEMBERS + hex(id), true, true, now);
        store.create("/0/removed_members/" + hex(id), false, "", false, V2Store.PERMANENT, now);
    }

    @Override
    public synchronized void updateMember(long id, List<String> peerUrls) throws V2MemberException {
        if (removed.contains(id)) {
            // etcd's members handler answers a bare 500 here (it has a 410 only for DELETE)
            throw new V2MemberException(V2MemberException.Kind.INTERNAL, "membership: ID removed");
        }
        V2Member old = members.get(id);
        if (old == null) {
            throw new V2MemberException(V2MemberException.Kind.NOT_FOUND, "No such member: " + hex(id));
        }
        for (V2Member m : members.values()) {
            if (m.id() != id && m.peerUrls().stream().anyMatch(peerUrls::contains)) {
                throw new V2MemberException(V2MemberException.Kind.CONFLICT, "membership: peerURL exists");
            }
        }
        raftIndex++;
        members.put(id, new V2Member(id, old.name(), List.copyOf(peerUrls), old.clientUrls()));
        store.update(MEMBERS + hex(id) + "/raftAttributes", raftAttributes(peerUrls), V2Store.PERMANENT, false,
                clockNanos.getAsLong());
    }

    @Override
    public synchronized List<String> clientUrls() {
        List<String> urls = new ArrayList<>();
        for (V2Member m : members()) {
            urls.addAll(m.clientUrls());
        }
        return urls;
    }

    @Override
    public String selfStatsJson() {
        String id = hex(selfId);
        String start = rfc3339(startNanos);
        return "{\"name\":\"" + members.get(selfId).name() + "\",\"id\":\"" + id + "\",\"state\":\"StateLeader\","
                + "\"startTime\":\"" + start + "\",\"leaderInfo\":{\"leader\":\"" + id + "\",\"uptime\":\""
                + goDuration(clockNanos.getAsLong() - startNanos) + "\",\"startTime\":\"" + start + "\"},"
                + "\"recvAppendRequestCnt\":0,\"sendAppendRequestCnt\":0}";
    }

    @Override
    public Optional<String> leaderStatsJson() {
        return Optional.of("{\"leader\":\"" + hex(selfId) + "\",\"followers\":{}}");
    }

    @Override
    public Map<String, Long> storeStats() {
        return store.stats().toMap(store.watcherCount());
    }

    @Override public String serverVersion() { return "3.4.23"; }
    @Override public String clusterVersion() { return "3.4.0"; }

    @Override
    public synchronized boolean healthy() {
        raftIndex++; // etcd checks health with a QGET through raft
        return startedCount(-1) >= members.size() / 2 + 1;
    }

    private int startedCount(long except) {
        int n = 0;
        for (V2Member m : members.values()) {
            if (m.id() != except && !m.name().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private long newMemberId(List<String> peerUrls) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            List<String> sorted = new ArrayList<>(peerUrls);
            sorted.sort(null);
            sha.update(String.join("", sorted).getBytes(StandardCharsets.UTF_8));
            sha.update(Long.toString(clockNanos.getAsLong() / 1_000_000_000L).getBytes(StandardCharsets.UTF_8));
            byte[] d = sha.digest();
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (d[i] & 0xff);
            }
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String raftAttributes(List<String> peerUrls) {
        return "{\"peerURLs\":" + jsonArray(peerUrls) + "}";
    }

    private static String attributes(String name, List<String> clientUrls) {
        return "{\"name\":\"" + name + "\",\"clientURLs\":" + jsonArray(clientUrls) + "}";
    }

    private static String jsonArray(List<String> l) {
        List<String> q = new ArrayList<>();
        l.forEach(s -> q.add("\"" + s + "\""));
        return "[" + String.join(",", q) + "]";
    }

    static String hex(long id) { return Long.toHexString(id); }

    private static String rfc3339(long nanos) {
        Instant t = Instant.ofEpochSecond(0, nanos);
        String s = DateTimeFormatter.ISO_INSTANT.format(t);
        return s;
    }

    /** Go's time.Duration.String() for non-negative durations. */
    static String goDuration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos < 1_000_000_000L) {
            if (nanos < 1_000) return nanos + "ns";
            if (nanos < 1_000_000) return trimFrac(nanos / 1_000, nanos % 1_000, 3) + "µs";
            return trimFrac(nanos / 1_000_000, nanos % 1_000_000, 6) + "ms";
        }
        long secs = nanos / 1_000_000_000L;
        String s = trimFrac(secs % 60, nanos % 1_000_000_000L, 9) + "s";
        long mins = secs / 60;
        if (mins == 0) return s;
        long hours = mins / 60;
        return (hours > 0 ? hours + "h" : "") + (mins % 60) + "m" + s;
    }

    private static String trimFrac(long whole, long frac, int digits) {
        if (frac == 0) return Long.toString(whole);
        String f = String.format("%0" + digits + "d", frac).replaceAll("0+$", "");
        return whole + "." + f;
    }

    /** Reports a raft-level failure the way etcd does (300, HTTP 500). */
    static V2Error raftInternal(String text) {
        return new V2Error(V2Error.RAFT_INTERNAL, text, 0);
    }
}
