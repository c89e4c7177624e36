package io.etcdj.server.raft;

import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * etcd's v2 raft statistics ({@code /v2/stats/self}, {@code /v2/stats/leader}): append requests
 * sent and received, with their rates over the recent ones; when the current leader was first seen;
 * and, while this member leads, per follower how long handing appends to its link took and how many
 * hand-overs succeeded or failed (latencies in milliseconds, as etcd reports them). A new term of
 * leadership starts the follower figures afresh.
 *
 * <p>The state and leader reported are etcd's server statistics, not raft's current view: they
 * turn to "leader, this member" when it is elected and to "follower of X" when an append from X
 * arrives (or X is seen to lead); losing a leader without a new one changes neither, so a leader
 * that stepped down for lack of a quorum still reports itself as leader, as etcd 3.4 does.
 *
 * <p>Thread-safe: fed by the raft loop (sends), the peer server (receives) and leader changes.
 */
public final class RaftStats implements RaftListener {
    private final long selfId;
    private final LongSupplier unixNanos;
    private final RateWindow received = new RateWindow();
    private final RateWindow sent = new RateWindow();
    private final Map<Long, FollowerFigures> followers = new TreeMap<>();
    private long receivedAppends;
    private long sentAppends;
    private long leader;
    private boolean leads;
    private long leaderSinceUnixNanos;

    public RaftStats(long selfId, LongSupplier unixNanos) {
        this.selfId = selfId;
        this.unixNanos = unixNanos;
        this.leaderSinceUnixNanos = unixNanos.getAsLong();
    }

    /** One member's figures as a follower sees them. */
    public record Self(boolean leads, long leader, long leaderSinceUnixNanos, long receivedAppends, double receivedPerSecond,
                       double receivedBytesPerSecond, long sentAppends, double sentPerSecond,
                       double sentBytesPerSecond) {
    }

    /** What the leader knows of one follower's link. */
    public record Follower(long id, double currentMillis, double averageMillis, double standardDeviationMillis,
                           double minimumMillis, double maximumMillis, long failures, long successes) {
    }

    /** Messages handed to the link to {@code to} in {@code nanos}; {@code ok} false when it was unreachable. */
    public synchronized void sent(long to, List<Message> batch, long nanos, boolean ok) {
        long now = System.nanoTime();
        int appends = 0;
        for (Message m : batch) {
            if (m.getType() == MessageType.MsgApp) {
                appends++;
                sentAppends++;
                sent.add(now, m.getSerializedSize());
            }
        }
        if (appends > 0 && leads) {
            FollowerFigures f = followers.computeIfAbsent(to, k -> new FollowerFigures());
            if (ok) {
                f.success(nanos / 1_000_000.0);
            } else {
                f.failures++;
            }
        }
    }

    /** A message from a peer, before the raft loop steps it. */
    public synchronized void received(Message m) {
        if (m.getType() == MessageType.MsgApp) {
            leads = false;
            follow(m.getFrom());
            receivedAppends++;
            received.add(System.nanoTime(), m.getSerializedSize());
        }
    }

    @Override
    public synchronized void onLeaderChange(long newLeader, long term) {
        if (newLeader == 0) {
            return; // etcd's statistics keep the last leader
        }
        if (newLeader == selfId && !leads) {
            followers.clear();
        }
        leads = newLeader == selfId;
        follow(newLeader);
    }

    private void follow(long newLeader) {
        if (newLeader != leader) {
            leader = newLeader;
            leaderSinceUnixNanos = unixNanos.getAsLong();
            followers.clear();
        }
    }

    public synchronized Self self() {
        long now = System.nanoTime();
        return new Self(leads, leader, leaderSinceUnixNanos, receivedAppends, received.perSecond(now),
                received.bytesPerSecond(now), sentAppends, sent.perSecond(now), sent.bytesPerSecond(now));
    }

    /** The leader's figures for each of {@code followerIds} (zeros for one nothing was sent to yet). */
    public synchronized List<Follower> followers(List<Long> followerIds) {
        return followerIds.stream().map(id -> {
            FollowerFigures f = followers.getOrDefault(id, new FollowerFigures());
            return new Follower(id, f.current, f.average, f.standardDeviation(), f.minimum, f.maximum,
                    f.failures, f.successes);
        }).toList();
    }

    /** etcd's running latency figures of one follower. */
    private static final class FollowerFigures {
        double current;
        double average;
        double averageSquare;
        double minimum;
        double maximum;
        long successes;
        long failures;

        void success(double millis) {
            successes++;
            current = millis;
            minimum = successes == 1 ? millis : Math.min(minimum, millis);
            maximum = Math.max(maximum, millis);
            average += (millis - average) / successes;
            averageSquare += (millis * millis - averageSquare) / successes;
        }

        double standardDeviation() {
            return Math.sqrt(Math.max(0, averageSquare - average * average));
        }
    }

    /**
     * The last appends (at most 200, as etcd keeps) and their sizes; a rate is over the span they
     * cover, and zero once the newest is more than a second old.
     */
    private static final class RateWindow {
        private static final int CAPACITY = 200;
        private final ArrayDeque<long[]> records = new ArrayDeque<>();
        private long bytes;

        void add(long nanos, int size) {
            if (records.size() == CAPACITY) {
                bytes -= records.removeFirst()[1];
            }
            records.addLast(new long[] {nanos, size});
            bytes += size;
        }

        double perSecond(long now) {
            double span = span(now);
            return span > 0 ? records.size() / span : 0;
        }

        double bytesPerSecond(long now) {
            double span = span(now);
            return span > 0 ? bytes / span : 0;
        }

        private double span(long now) {
            if (!records.isEmpty() && now - records.getLast()[0] > 1_000_000_000L) {
                records.clear(); // idle: the next rate starts from the next appends
                bytes = 0;
            }
            if (records.size() < 2) {
                return 0;
            }
            return (records.getLast()[0] - records.getFirst()[0]) / 1e9;
        }
    }
}
