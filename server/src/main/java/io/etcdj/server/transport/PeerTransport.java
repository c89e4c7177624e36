package io.etcdj.server.transport;

import io.etcdj.raft.SnapshotStatus;
import io.etcdj.raft.pb.Message;
import io.etcdj.server.membership.Member;
import io.etcdj.server.raft.MessageSender;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends raft messages to the other members, one {@link PeerStream} per member, following the
 * membership (streams are opened for added members and closed for removed ones).
 */
public final class PeerTransport implements MessageSender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerTransport.class);

    /** How delivery problems are reported back to raft. */
    public interface RaftFeedback {
        void unreachable(long peerId);

        void snapshot(long peerId, SnapshotStatus status);
    }

    private final long selfId;
    private final long clusterId;
    private final RaftFeedback feedback;
    private final SnapshotSender.Checkpointer checkpointer;
    private final Path scratch;
    private final Map<Long, PeerStream> streams = new HashMap<>();
    private final Map<Long, List<String>> urls = new HashMap<>();
    private final MemberChannels channels;
    /** The channel of each peer's stream (the prober measures round trips over it). */
    private final Map<Long, ManagedChannel> channelsById = new HashMap<>();
    private final Map<Long, LinkActivity> activity = new HashMap<>();
    private final PeerTraffic traffic;
    private boolean closed;

    /**
     * @param checkpointer writes a backend checkpoint to send with a snapshot
     * @param scratch where outgoing checkpoints are made (and deleted after sending)
     * @param channels opens the links to other members' peer URLs (TLS for https)
     */
    public PeerTransport(long selfId, long clusterId, RaftFeedback feedback, SnapshotSender.Checkpointer checkpointer,
                         Path scratch, MemberChannels channels) {
        this(selfId, clusterId, feedback, checkpointer, scratch, channels, PeerTraffic.NONE);
    }

    /** @param traffic told of every batch sent (its serialized size) */
    public PeerTransport(long selfId, long clusterId, RaftFeedback feedback, SnapshotSender.Checkpointer checkpointer,
                         Path scratch, MemberChannels channels, PeerTraffic traffic) {
        this.traffic = traffic;
        this.channels = channels;
        this.checkpointer = checkpointer;
        this.scratch = scratch;
        this.selfId = selfId;
        this.clusterId = clusterId;
        this.feedback = feedback;
    }

    private volatile SendObserver sendObserver = (to, batch, nanos, ok) -> { };

    /**
     * Opens streams to new members and closes those of members that left (stopping a stream's
     * thread happens outside the lock, so the raft loop's {@link #send} never waits for it).
     */
    public void updateMembers(Collection<Member> members) {
        List<PeerStream> stale = new ArrayList<>();
        synchronized (this) {
            if (!closed) {
                reconcile(members, stale);
            }
        }
        stale.forEach(PeerStream::stop);
    }

    private void reconcile(Collection<Member> members, List<PeerStream> stale) {
        Map<Long, Member> wanted = new HashMap<>();
        members.stream().filter(m -> m.id() != selfId).forEach(m -> wanted.put(m.id(), m));
        for (Long id : List.copyOf(streams.keySet())) {
            Member m = wanted.get(id);
            if (m == null || !m.peerUrls().equals(urls.get(id))) {
                stale.add(streams.remove(id));
                urls.remove(id);
                channelsById.remove(id);
                activity.remove(id);
            }
        }
        for (Member m : wanted.values()) {
            if (!streams.containsKey(m.id()) && !m.peerUrls().isEmpty()) {
                ManagedChannel channel = channels.open(m.peerUrls().get(0), PeerMethods.MAX_MESSAGE_BYTES);
                PeerStream s = new PeerStream(m.id(), selfId, clusterId, m.peerUrls().get(0), channels, channel,
                        feedback, checkpointer, scratch, traffic);
                streams.put(m.id(), s);
                channelsById.put(m.id(), channel);
                activity.put(m.id(), s.activity());
                urls.put(m.id(), m.peerUrls());
                s.start();
                log.info("member {} streams to peer {} at {}", Long.toHexString(selfId), Long.toHexString(m.id()),
                        m.peerUrls());
            }
        }
    }

    @Override
    public void send(List<Message> messages) {
        Map<Long, List<Message>> byPeer = new LinkedHashMap<>();
        for (Message m : messages) {
            byPeer.computeIfAbsent(m.getTo(), k -> new ArrayList<>()).add(m);
        }
        synchronized (this) {
            byPeer.forEach((to, batch) -> {
                PeerStream s = streams.get(to);
                long start = System.nanoTime();
                if (s != null) {
                    s.send(batch);
                } else {
                    feedback.unreachable(to);
                }
                sendObserver.sent(to, batch, System.nanoTime() - start, s != null);
            });
        }
    }

    /** Sees every batch handed to a peer's link (the v2 raft statistics). */
    @FunctionalInterface
    public interface SendObserver {
        /** {@code batch} went to the link to {@code to} in {@code nanos}; {@code ok} false: no link. */
        void sent(long to, List<Message> batch, long nanos, boolean ok);
    }

    /** Installs the observer of sends (before the first send). */
    public void observeSends(SendObserver observer) {
        this.sendObserver = observer;
    }

    /**
     * Whether the link to {@code peerId} has been up without interruption since {@code sinceNanos}
     * (a System.nanoTime() value): etcd's strict reconfiguration check asks this.
     */
    public synchronized boolean connectedSince(long peerId, long sinceNanos) {
        LinkActivity a = activity.get(peerId);
        return a != null && a.upSince(sinceNanos);
    }

    /** How many peers the links reach right now (etcd's active peers). */
    public synchronized int connectedPeers() {
        long now = System.nanoTime();
        int n = 0;
        for (LinkActivity a : activity.values()) {
            if (a.upSince(now)) {
                n++;
            }
        }
        return n;
    }

    /** The link to each peer with an open stream, by member ID (a copy). */
    public synchronized Map<Long, Channel> peerChannels() {
        return Map.copyOf(channelsById);
    }

    @Override
    public void close() {
        List<PeerStream> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(streams.values());
            streams.clear();
            channelsById.clear();
            activity.clear();
        }
        all.forEach(PeerStream::stop);
    }
}
