package io.etcdj.server.membership;

import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.server.pb.MemberAttributes;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.MembershipRecord;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster's members as of the last applied entry. Changed only by the applier thread (and by
 * bootstrap before any thread starts); read by anyone: readers get immutable snapshots.
 * Applying the same change twice is harmless (restart replays conf changes already in the backend).
 */
public final class Membership {
    private final long clusterId;
    private volatile Map<Long, Member> members;
    private volatile Set<Long> removed;
    private final List<Consumer<Collection<Member>>> listeners = new CopyOnWriteArrayList<>();

    public Membership(long clusterId, Collection<Member> initial, Collection<Long> removed) {
        this.clusterId = clusterId;
        Map<Long, Member> m = new TreeMap<>();
        initial.forEach(x -> m.put(x.id(), x));
        this.members = Map.copyOf(m);
        this.removed = Set.copyOf(removed);
    }

    public static Membership fromRecord(MembershipRecord r) {
        return new Membership(r.getClusterId(), r.getMembersList().stream().map(Member::fromRecord).toList(),
                r.getRemovedList());
    }

    public MembershipRecord toRecord() {
        return MembershipRecord.newBuilder().setClusterId(clusterId)
                .addAllMembers(members.values().stream().map(Member::toRecord).toList())
                .addAllRemoved(new TreeSet<>(removed)).build();
    }

    public long clusterId() {
        return clusterId;
    }

    /** Members ordered by ID as unsigned numbers (etcd's order). */
    public List<Member> members() {
        List<Member> list = new ArrayList<>(members.values());
        list.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        return list;
    }

    public Member member(long id) {
        return members.get(id);
    }

    public boolean isRemoved(long id) {
        return removed.contains(id);
    }

    /** Called (on the applier thread) after every change with the new member set. */
    public void onChange(Consumer<Collection<Member>> listener) {
        listeners.add(listener);
    }

    /** Applies a committed conf change; the member description travels in its context. */
    public void apply(ConfChange cc) {
        Map<Long, Member> next = new TreeMap<>(members);
        switch (cc.getType()) {
            case ConfChangeAddNode, ConfChangeAddLearnerNode -> {
                Member existing = next.get(cc.getNodeId());
                boolean learner = cc.getType() == ConfChangeType.ConfChangeAddLearnerNode;
                if (existing != null && existing.learner() && !learner) {
                    next.put(existing.id(), existing.promoted());
                } else if (existing == null && !removed.contains(cc.getNodeId())) {
                    Member m = decodeContext(cc);
                    next.put(cc.getNodeId(), new Member(cc.getNodeId(), m.name(), m.peerUrls(), m.clientUrls(), learner));
                }
            }
            case ConfChangeRemoveNode -> {
                next.remove(cc.getNodeId());
                Set<Long> r = new TreeSet<>(removed);
                r.add(cc.getNodeId());
                removed = Set.copyOf(r);
            }
            case ConfChangeUpdateNode -> {
                Member existing = next.get(cc.getNodeId());
                if (existing != null) {
                    Member m = decodeContext(cc);
                    next.put(existing.id(), new Member(existing.id(), existing.name(), m.peerUrls(),
                            existing.clientUrls(), existing.learner()));
                }
            }
            default -> throw new IllegalArgumentException("unknown conf change " + cc.getType());
        }
        publish(next);
    }

    /** Replaces the whole membership with a restored one (a snapshot from the leader). */
    public void restore(MembershipRecord record) {
        if (record.getClusterId() != clusterId) {
            throw new IllegalStateException("snapshot of cluster " + Long.toHexString(record.getClusterId())
                    + " restored into cluster " + Long.toHexString(clusterId));
        }
        Map<Long, Member> next = new TreeMap<>();
        record.getMembersList().forEach(r -> next.put(r.getId(), Member.fromRecord(r)));
        removed = Set.copyOf(record.getRemovedList());
        publish(next);
    }

    /** Applies a member's published name and client URLs (ignored for unknown members). */
    public void apply(MemberAttributes attrs) {
        Member existing = members.get(attrs.getMemberId());
        if (existing == null) {
            return;
        }
        Map<Long, Member> next = new TreeMap<>(members);
        next.put(existing.id(), existing.withAttributes(attrs.getName(), attrs.getClientUrlsList()));
        publish(next);
    }

    private void publish(Map<Long, Member> next) {
        members = Map.copyOf(next);
        Collection<Member> view = members();
        listeners.forEach(l -> l.accept(view));
    }

    private static Member decodeContext(ConfChange cc) {
        try {
            return Member.fromRecord(MemberRecord.parseFrom(cc.getContext()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("conf change " + cc.getId() + " carries no member record", e);
        }
    }
}
