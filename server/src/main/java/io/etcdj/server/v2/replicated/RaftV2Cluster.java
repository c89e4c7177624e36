package io.etcdj.server.v2.replicated;

import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.MemberUpdateRequest;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.raft.RaftStats;
import io.etcdj.server.v2.http.V2Json;
import io.etcdj.server.RaftEtcdServer;
import io.etcdj.server.config.EtcdVersion;
import io.etcdj.server.config.GoDuration;
import io.etcdj.server.v2.http.V2Cluster;
import io.etcdj.server.v2.http.V2Member;
import io.etcdj.server.v2.http.V2MemberException;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Event;
import io.etcdj.server.v2.store.V2Request;
import io.etcdj.server.v2.store.V2Watcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * The v2 API's view of a real member: writes and quorum reads are proposed through raft and
 * answered once applied here ({@link V2StateMachine}); plain reads and watches use the local
 * store; membership is the member's own (the v3 Cluster operations underneath).
 */
public final class RaftV2Cluster implements V2Cluster {
    private final RaftEtcdServer server;
    private final V2StateMachine v2;
    private final RaftStats raftStats;
    private final String name;
    private final LongSupplier clockNanos;
    private final long startNanos;

    /** @param clockNanos unix-epoch nanoseconds */
    public RaftV2Cluster(RaftEtcdServer server, V2StateMachine v2, RaftStats raftStats,
                         String name, LongSupplier clockNanos) {
        this.server = server;
        this.raftStats = raftStats;
        this.v2 = v2;
        this.name = name;
        this.clockNanos = clockNanos;
        this.startNanos = clockNanos.getAsLong();
    }

    @Override
    public Result propose(V2Request request) {
        Object outcome = await(server.proposeV2(V2Requests.toProto(request)));
        if (outcome instanceof V2Error e) {
            throw e;
        }
        return new Result((V2Event) outcome, raftIndex(), raftTerm());
    }

    /** Proposes etcd's SYNC: expires every v2 node whose time is at or before now. */
    CompletableFuture<Object> proposeSync() {
        return server.proposeV2(V2Requests.toProto(V2Request.sync(0, clockNanos.getAsLong())));
    }

    boolean hasTtlKeys() {
        return v2.store().hasTtlKeys();
    }

    boolean isLeader() {
        return server.raftStatus().leader() == server.memberId();
    }

    @Override
    public Result get(String storePath, boolean recursive, boolean sorted) {
        return new Result(v2.store().get(storePath, recursive, sorted, clockNanos.getAsLong()), raftIndex(), raftTerm());
    }

    @Override
    public V2Watcher watch(String storePath, boolean recursive, boolean stream, long sinceIndex) {
        return v2.store().watch(storePath, recursive, stream, sinceIndex);
    }

    @Override public long raftIndex() { return server.raftStatus().appliedIndex(); }
    @Override public long raftTerm() { return server.raftStatus().term(); }
    @Override public long clusterId() { return server.clusterId(); }
    @Override public long memberId() { return server.memberId(); }

    @Override
    public List<V2Member> members() {
        List<V2Member> l = new ArrayList<>();
        for (Member m : await(server.memberList(MemberListRequest.getDefaultInstance())).getMembersList()) {
            l.add(new V2Member(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList()));
        }
        l.sort(Comparator.comparing(V2Member::id, Long::compareUnsigned));
        return l;
    }

    @Override
    public Optional<V2Member> leader() {
        long leader = server.raftStatus().leader();
        return members().stream().filter(m -> m.id() == leader).findFirst();
    }

    @Override
    public V2Member addMember(List<String> peerUrls) throws V2MemberException {
        Member m = awaitMember(server.memberAdd(MemberAddRequest.newBuilder().addAllPeerURLs(peerUrls).build()), 0)
                .getMember();
        return new V2Member(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList());
    }

    @Override
    public void removeMember(long id) throws V2MemberException {
        try {
            awaitMember(server.memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()), id);
        } catch (V2MemberException e) {
            throw ifRemoved(e, id, new V2MemberException(V2MemberException.Kind.GONE,
                    "Member permanently removed: " + Long.toHexString(id)));
        }
    }

    @Override
    public void updateMember(long id, List<String> peerUrls) throws V2MemberException {
        try {
            awaitMember(server.memberUpdate(MemberUpdateRequest.newBuilder().setID(id).addAllPeerURLs(peerUrls).build()),
                    id);
        } catch (V2MemberException e) {
            // etcd's members handler has no word for updating a removed member: a bare 500
            throw ifRemoved(e, id, new V2MemberException(V2MemberException.Kind.INTERNAL, "membership: ID removed"));
        }
    }

    /**
     * The v3 layer says "member not found" for an ID never seen and for a removed one alike; etcd's
     * v2 members API tells them apart.
     */
    private V2MemberException ifRemoved(V2MemberException notFound, long id, V2MemberException removed) {
        return notFound.kind() == V2MemberException.Kind.NOT_FOUND && server.isRemovedMember(id) ? removed : notFound;
    }

    /** Waits for a membership change; its failure becomes the v2 members API's error about {@code id}. */
    private static <T> T awaitMember(CompletableFuture<T> change, long id) throws V2MemberException {
        try {
            return change.get();
        } catch (ExecutionException | CompletionException e) {
            throw memberError(e.getCause(), id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V2MemberException(V2MemberException.Kind.INTERNAL, "interrupted");
        }
    }

    /** etcd's v2 members API words for the v3 membership errors. */
    private static V2MemberException memberError(Throwable cause, long id) {
        if (cause instanceof EtcdException e) {
            if (e.is(EtcdError.PEER_URL_EXIST)) {
                return new V2MemberException(V2MemberException.Kind.CONFLICT, "membership: peerURL exists");
            }
            if (e.is(EtcdError.MEMBER_EXIST)) {
                return new V2MemberException(V2MemberException.Kind.CONFLICT, "membership: ID exists");
            }
            if (e.is(EtcdError.MEMBER_NOT_FOUND)) {
                return new V2MemberException(V2MemberException.Kind.NOT_FOUND, "No such member: " + Long.toHexString(id));
            }
            return new V2MemberException(V2MemberException.Kind.INTERNAL, e.getMessage());
        }
        return new V2MemberException(V2MemberException.Kind.INTERNAL, String.valueOf(cause));
    }

    @Override
    public List<String> clientUrls() {
        List<String> urls = new ArrayList<>();
        members().forEach(m -> urls.addAll(m.clientUrls()));
        return urls;
    }

    @Override
    public String selfStatsJson() {
        RaftStats.Self self = raftStats.self();
        String state = self.leads() ? "StateLeader" : "StateFollower";
        return V2Json.selfStats(name, memberId(), state, startNanos, self, clockNanos.getAsLong());
    }

    @Override
    public Optional<String> leaderStatsJson() {
        if (!isLeader()) {
            return Optional.empty();
        }
        // Go writes a map's keys in string order
        List<Long> followers = members().stream().map(V2Member::id).filter(id -> id != memberId())
                .sorted(Comparator.comparing(Long::toHexString)).toList();
        return Optional.of(V2Json.leaderStats(memberId(), raftStats.followers(followers)));
    }

    @Override
    public Map<String, Long> storeStats() {
        return v2.store().stats().toMap(v2.store().watcherCount());
    }

    @Override public String serverVersion() { return EtcdVersion.SERVER; }
    @Override public String clusterVersion() { return EtcdVersion.CLUSTER; }

    @Override
    public boolean healthy() {
        return server.raftStatus().leader() != 0;
    }

    /** Waits for a server future; a failure becomes the v2 "raft internal" error with etcd's text. */
    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            // a v2 write that waited in vain for a leader is etcd's "request timed out" (v3 gives the raw context error)
            String text = cause instanceof EtcdException ee && !ee.is(EtcdError.PROPOSAL_DEADLINE)
                    ? ee.getMessage() : EtcdError.TIMEOUT.message();
            throw new V2Error(V2Error.RAFT_INTERNAL, text, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V2Error(V2Error.RAFT_INTERNAL, EtcdError.STOPPED.message(), 0);
        }
    }
}
